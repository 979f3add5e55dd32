import type { TickDataProvider } from "@uniswap/v3-sdk";
import { TickWindowExceededError } from "../core/index.js";
import type { PoolTick } from "./readPoolState.js";

export { TickWindowExceededError };

/**
 * The initialized ticks of a range of tick-bitmap words, answering the v3-sdk's swap loop exactly as the
 * pool's TickBitmap would inside that range, and throwing TickWindowExceededError outside it (where a tick
 * it does not know of could exist). `ticks` ascending; `minWord..maxWord` are the words that were read.
 */
export class WindowTickDataProvider implements TickDataProvider {
  constructor(
    private readonly ticks: readonly PoolTick[],
    private readonly minWord: number,
    private readonly maxWord: number,
  ) {}

  async getTick(tick: number): Promise<{ liquidityNet: string }> {
    const found = this.ticks.find((t) => t.index === tick);
    return { liquidityNet: (found?.liquidityNet ?? 0n).toString() };
  }

  async nextInitializedTickWithinOneWord(tick: number, lte: boolean, tickSpacing: number): Promise<[number, boolean]> {
    const compressed = Math.floor(tick / tickSpacing);
    if (lte) {
      const word = compressed >> 8;
      this.#checkWord(word);
      const lowest = (compressed - (compressed & 255)) * tickSpacing;
      const highest = compressed * tickSpacing;
      const found = this.#last((t) => t.index >= lowest && t.index <= highest);
      return found === undefined ? [lowest, false] : [found.index, true];
    }
    const next = compressed + 1;
    const word = next >> 8;
    this.#checkWord(word);
    const lowest = next * tickSpacing;
    const highest = (next + (255 - (next & 255))) * tickSpacing;
    const found = this.ticks.find((t) => t.index >= lowest && t.index <= highest);
    return found === undefined ? [highest, false] : [found.index, true];
  }

  #last(predicate: (t: PoolTick) => boolean): PoolTick | undefined {
    for (let i = this.ticks.length - 1; i >= 0; i--) if (predicate(this.ticks[i])) return this.ticks[i];
    return undefined;
  }

  #checkWord(word: number): void {
    if (word < this.minWord || word > this.maxWord) {
      throw new TickWindowExceededError(`the swap crosses tick-bitmap word ${word}, outside the words read (${this.minWord}..${this.maxWord})`);
    }
  }
}
