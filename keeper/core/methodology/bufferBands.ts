import { InvalidInputError } from "../errors.js";

export interface BufferBandsParameters {
  readonly n: number;
  readonly bufferFraction: number;
}

export interface BufferBandsReturnType {
  /** Newcomers enter at rank <= entryRank = floor(N x (1 - b)). */
  readonly entryRank: number;
  /** Members stay while rank <= stayRank = floor(N x (1 + b)). */
  readonly stayRank: number;
}

// Ranks are integers, so "rank <= N x (1 + b)" is "rank <= floor(N x (1 + b))". The epsilon keeps binary
// floating point from turning 100 x 1.2 into 119.99... and silently narrowing the band by one rank.
const FLOOR_EPSILON = 1e-9;

/** The rank limits of the buffer rule, shared by selection and by reports that draw the bands. */
export function bufferBands({ n, bufferFraction }: BufferBandsParameters): BufferBandsReturnType {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidInputError("Constituent count must be a positive integer.", { details: `n: ${n}` });
  if (!(Number.isFinite(bufferFraction) && bufferFraction >= 0 && bufferFraction < 1)) {
    throw new InvalidInputError("Buffer fraction must be in [0, 1).", { details: `bufferFraction: ${bufferFraction}` });
  }
  return {
    entryRank: Math.floor(n * (1 - bufferFraction) + FLOOR_EPSILON),
    stayRank: Math.floor(n * (1 + bufferFraction) + FLOOR_EPSILON),
  };
}
