import { expect } from "chai";
import type { Provider } from "ethers";
import { ethers } from "../fixtures.js";
import { readLogs } from "../../keeper/audit/readLogs.js";

describe("readLogs", function () {
  it("retries a failed eth_getLogs under the retry policy, reports each retry and the progress, and gives up after maxRetries", async function () {
    const [signer] = await ethers.getSigners();
    await (await signer.sendTransaction({ to: signer.address, value: 1n })).wait();
    const head = await ethers.provider.getBlockNumber();
    let failures = 2;
    const flaky = { getLogs: async (filter: object) => (failures-- > 0 ? Promise.reject(new Error("503 Service Unavailable")) : ethers.provider.getLogs(filter)) } as unknown as Provider;
    const retries: number[] = [];
    const progress: Array<[number, number]> = [];
    const retry = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 1_000 };
    const logs = await readLogs(flaky, {}, 0, head, Math.max(1, Math.ceil((head + 1) / 2)), { retry, onRetry: (_, attempt) => retries.push(attempt), onProgress: (read, all) => progress.push([read, all]) });
    expect(logs).to.be.an("array");
    expect(retries).to.deep.equal([1, 2]);
    expect(progress.at(-1)).to.deep.equal([head + 1, head + 1]);
    failures = 3;
    const error = await readLogs(flaky, {}, 0, head, head + 1, { retry }).catch((e: unknown) => e);
    expect((error as Error).message).to.equal("503 Service Unavailable");
  });
});
