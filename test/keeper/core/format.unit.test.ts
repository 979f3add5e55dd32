// The core's number formatting (shared by the CLI, the audit table, the report and the web app) at awkward
// values: negatives, zero, tiny and huge amounts, rounding at the last shown digit.
import { expect } from "chai";
import { describe, it } from "mocha";
import {
  formatAmount,
  formatEth,
  formatDuration,
  formatBps,
  formatDate,
  formatDecimal,
  formatFixed,
  formatNumber,
  formatPercent,
  formatSignedPercent,
  formatTable,
  formatTokenAmount,
  formatUsd,
  InvalidInputError,
  regimeCode,
  regimeFromCode,
} from "../../../keeper/core/index.js";

describe("keeper/core/format", () => {
  it("formats bps, decimals and fixed amounts", () => {
    expect(formatBps(237)).to.equal("2.37%");
    expect(formatBps(-5)).to.equal("-0.05%");
    expect(formatDecimal(150_000_000n, 8)).to.equal("1.5");
    expect(formatDecimal(123_456_789n, 6)).to.equal("123.456789");
    expect(formatDecimal(123_456_789n, 6, 2)).to.equal("123.45");
    expect(formatDecimal(7_000_000n, 6)).to.equal("7");
    expect(formatDecimal(5n, 6)).to.equal("0.000005");
    expect(formatFixed(1_234_567_891n, 6)).to.equal("1,234.56");
    expect(formatFixed(-1_234_567_891n, 6, 3)).to.equal("-1,234.567");
    expect(formatFixed(999n, 6)).to.equal("0.00");
    expect(formatFixed(12_345_678n, 0, 0)).to.equal("12,345,678");
  });

  it("formats numbers, amounts, dollars and percentages", () => {
    expect(formatNumber(1_234_567.891)).to.equal("1,234,567.89");
    expect(formatNumber(Number.NaN)).to.equal("NaN");
    expect(formatAmount(0)).to.equal("0");
    expect(formatAmount(0.000123456)).to.equal("0.0001235");
    expect(formatAmount(-98_765.4321)).to.equal("-98,765.43");
    expect(formatAmount(Number.POSITIVE_INFINITY)).to.equal("Infinity");
    expect(formatUsd(-1_234.5)).to.equal("-$1,234.50");
    expect(formatUsd(0.004)).to.equal("$0.00");
    expect(formatUsd(Number.NaN)).to.equal("NaN");
    expect(formatPercent(0.12345)).to.equal("12.35%");
    expect(formatSignedPercent(0.05)).to.equal("+5.00%");
    expect(formatSignedPercent(0)).to.equal("0.00%");
    expect(formatSignedPercent(-0.0312, 1)).to.equal("-3.1%");
  });

  it("scales token amounts when decimals are known and leaves other text alone", () => {
    expect(formatTokenAmount("123456789", 6)).to.equal("123.46");
    expect(formatTokenAmount("-5", 2)).to.equal("-0.05000");
    expect(formatTokenAmount("1.25")).to.equal("1.250");
    expect(formatTokenAmount("1.25", 6)).to.equal("1.250");
    expect(formatTokenAmount("n/a", 6)).to.equal("n/a");
  });

  it("shows a gas cost in wei as ETH to a millionth, rounding the last digit", () => {
    expect([formatEth(0n), formatEth(123_456_789_000_000n), formatEth(1_500_000n * 10n ** 12n), formatEth(4_999_999_999n)]).to.deep.equal(["0.000000", "0.000123", "1.500000", "0.000000"]);
    expect(formatEth(5_600_000_000_000n)).to.equal("0.000006");
  });

  it("shortens a midnight timestamp to its date and others to minutes", () => {
    expect(formatDate("2026-11-30T00:00:00.000Z")).to.equal("2026-11-30");
    expect(formatDate("2026-11-30T00:00Z")).to.equal("2026-11-30");
    expect(formatDate("2026-11-30")).to.equal("2026-11-30");
    expect(formatDate("2026-11-30T13:37:59.999Z")).to.equal("2026-11-30 13:37");
    expect(formatDate("yesterday")).to.equal("yesterday");
  });

  it("right-aligns columns whose every cell is a number, and pads the rest", () => {
    const table = formatTable(["token", "weight", "note"], [["WBTC", "4,321.5", "x"], ["LINK", "12%", ""]]);
    expect(table.split("\n")).to.deep.equal(["token   weight  note", "-----  -------  ----", "WBTC   4,321.5  x", "LINK       12%"]);
    expect(formatTable(["a", "bb"], [])).to.equal("a  bb\n-  --");
  });

  it("maps the vault's regime codes both ways and refuses any other code", () => {
    expect([regimeCode("bull"), regimeCode("bear")]).to.deep.equal([0, 1]);
    expect([regimeFromCode(0n), regimeFromCode(1)]).to.deep.equal(["bull", "bear"]);
    expect(() => regimeFromCode(2n)).to.throw(InvalidInputError);
  });
});

describe("#formatDuration / #formatUsd of base units (mutation gaps)", () => {
  it("counts down in days, hours and minutes, dropping the days under one day and counting a negative as 0", () => {
    expect(formatDuration(2 * 86_400 + 3 * 3_600 + 15 * 60 + 59.9)).to.equal("2 d 3 h 15 min");
    expect(formatDuration(86_400)).to.equal("1 d 0 h 0 min");
    expect(formatDuration(86_399)).to.equal("23 h 59 min");
    expect(formatDuration(-5)).to.equal("0 h 0 min");
  });

  it("formats base units of the stablecoin exactly, with the sign outside the dollar sign", () => {
    expect(formatUsd(-1_234_567_891n, 6)).to.equal("-$1,234.56");
    expect(formatUsd(1_234_567_891n, 6, 4)).to.equal("$1,234.5678");
    expect(formatUsd(0n, 6)).to.equal("$0.00");
    expect(formatUsd(-0.5)).to.equal("-$0.50");
    expect(formatUsd(0)).to.equal("$0.00");
  });
});
