import { expect } from "chai";
import { describe, it } from "mocha";
import { epochFor, lastWeeklyRebalance, nextWeeklyRebalance, startOfDay } from "../../../keeper/core/index.js";

const at = (iso: string) => new Date(iso);

describe("keeper/core/schedule", () => {
  it("puts the weekly rebalance at Monday 00:00 UTC: a Monday midnight is its own rebalance", () => {
    expect(lastWeeklyRebalance(at("2026-11-30T00:00:00.000Z")).toISOString()).to.equal("2026-11-30T00:00:00.000Z");
    expect(at("2026-11-30T00:00:00.000Z").getUTCDay()).to.equal(1);
  });

  it("maps every moment of a week to that week's Monday, and the last millisecond of Sunday to the previous one", () => {
    for (const iso of ["2026-11-30T00:00:00.001Z", "2026-12-01T13:37:42.123Z", "2026-12-03T07:00:00.000Z", "2026-12-06T23:59:59.999Z"]) {
      expect(lastWeeklyRebalance(at(iso)).toISOString(), iso).to.equal("2026-11-30T00:00:00.000Z");
    }
    expect(lastWeeklyRebalance(at("2026-11-29T23:59:59.999Z")).toISOString()).to.equal("2026-11-23T00:00:00.000Z");
    // Across a month and a year end.
    expect(lastWeeklyRebalance(at("2027-01-02T18:00:00.000Z")).toISOString()).to.equal("2026-12-28T00:00:00.000Z");
  });

  it("gives the first Monday 00:00 strictly after now as the next rebalance", () => {
    expect(nextWeeklyRebalance(at("2026-11-30T00:00:00.000Z")).toISOString()).to.equal("2026-12-07T00:00:00.000Z");
    expect(nextWeeklyRebalance(at("2026-12-06T23:59:59.999Z")).toISOString()).to.equal("2026-12-07T00:00:00.000Z");
    expect(nextWeeklyRebalance(at("2026-11-29T23:59:59.999Z")).toISOString()).to.equal("2026-11-30T00:00:00.000Z");
  });

  it("starts a day at 00:00 UTC and numbers an epoch in unix seconds", () => {
    expect(startOfDay(at("2026-12-01T23:59:59.999Z")).toISOString()).to.equal("2026-12-01T00:00:00.000Z");
    expect(startOfDay(at("2026-12-01T00:00:00.000Z")).toISOString()).to.equal("2026-12-01T00:00:00.000Z");
    expect(epochFor(at("2026-11-30T00:00:00.000Z"))).to.equal(1_795_996_800n);
    expect(epochFor(at("2026-11-30T00:00:00.999Z"))).to.equal(1_795_996_800n);
  });
});
