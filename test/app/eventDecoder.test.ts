import { expect } from "chai";
import { Interface } from "ethers";
import { IndexVault__factory } from "../../types/ethers-contracts/index.js";
import { staticEventDecoder } from "../../app/src/eventDecoder.js";

/** Decoded values compared with their types (a bigint and a number of the same value differ). */
const typed = (values: readonly unknown[]) => JSON.stringify(values, (_, v) => (typeof v === "bigint" ? `${v}n` : v));

describe("staticEventDecoder (the app's history decoder)", function () {
  // The generic Interface: the samples name their events by string.
  const vault: Interface = IndexVault__factory.createInterface();
  const MAX = 2n ** 256n - 1n;

  it("decodes each one-word vault event as ethers' decodeEventLog does, at the edges of each type", function () {
    const token = "0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984";
    const samples: Record<string, unknown[]> = {
      TradeExecuted: [2n ** 64n - 1n, token, "0x0000000000000000000000000000000000000001", token, MAX, 0n, 1n, 123_456_789n, 10n ** 30n],
      Deposit: [token, "0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF", MAX, 1n],
      Withdraw: [token, token, token, 0n, MAX],
      ManagementFeeAccrued: [5n, token, 86_400n],
      EntryFeeCharged: [token, 17n],
      ExitFeeCharged: [token, 0n],
      DepositsPausedSet: [token, true],
    };
    for (const [name, values] of Object.entries(samples)) {
      const fragment = vault.getEvent(name)!;
      const { data, topics } = vault.encodeEventLog(fragment, values);
      const decode = staticEventDecoder(fragment);
      expect(decode, name).to.not.equal(null);
      const actual = decode!(topics, data);
      const expected = vault.decodeEventLog(fragment, data, topics);
      expect(typed([...actual]), name).to.equal(typed([...expected]));
      expect(Object.keys(actual.toObject()), name).to.deep.equal(Object.keys(expected.toObject()));
    }
  });

  it("decodes signed and short integers and bytes32 as ethers does", function () {
    const iface = new Interface(["event Sample(int24 indexed tick, int256 delta, uint8 small, bytes32 hash, bool flag)"]);
    const fragment = iface.getEvent("Sample")!;
    for (const values of [
      [-8_388_608n, -(2n ** 255n), 255n, `0x${"ab".repeat(32)}`, false],
      [8_388_607n, 2n ** 255n - 1n, 0n, `0x${"00".repeat(32)}`, true],
    ]) {
      const { data, topics } = iface.encodeEventLog(fragment, values);
      expect(typed([...staticEventDecoder(fragment)!(topics, data)])).to.equal(typed([...iface.decodeEventLog(fragment, data, topics)]));
    }
  });

  it("leaves events with arrays to ethers, refuses a log of the wrong shape or a non-address word, reads loose words as ethers does", function () {
    expect(staticEventDecoder(vault.getEvent("TargetsCommitted")!)).to.equal(null);
    expect(staticEventDecoder(vault.getEvent("RedeemedInKind")!)).to.equal(null);
    const fragment = vault.getEvent("EntryFeeCharged")!;
    const decode = staticEventDecoder(fragment)!;
    const { data, topics } = vault.encodeEventLog(fragment, ["0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984", 1n]);
    expect(() => decode(topics, `${data}00`)).to.throw(/does not match the event/);
    expect(() => decode(topics.slice(0, 1), data)).to.throw(/does not match the event/);
    expect(() => decode([topics[0]!, `0x${"ff".repeat(32)}`], data)).to.throw(/not an address word/);
    // Words with bits past their type's: read as ethers reads them (masked; a bool is any non-zero word).
    const iface = new Interface(["event Loose(uint8 small, int16 signed, bool flag)"]);
    const loose = iface.getEvent("Loose")!;
    const looseData = `0x${"f".repeat(62)}01${"0".repeat(59)}18000${"0".repeat(63)}2`;
    expect(typed([...staticEventDecoder(loose)!([loose.topicHash], looseData)])).to.equal(typed([...iface.decodeEventLog(loose, looseData, [loose.topicHash])]));
  });
});
