import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";

const KEEPER_BIN = path.resolve("bin/keeper.js");

/** The `keeper` bin as a user runs it, with no configuration and no network: classify is offline. */
function keeper(args: string[]) {
  const result = spawnSync(process.execPath, [KEEPER_BIN, ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" }, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("keeper classify (offline)", function () {
  this.timeout(60_000);

  it("prints each id's class, rule and why as JSON, with the classification's version and hash", function () {
    const { code, stdout } = keeper(["classify", "--json", "ondo-finance", "wrapped-eeth", "brand-new-token"]);
    expect(code).to.equal(0);
    const out = JSON.parse(stdout) as { classification: { version: string; hash: string }; results: { id: string; class: string; rule: string; note: string }[] };
    expect(out.classification.version).to.equal("v1");
    expect(out.classification.hash).to.match(/^0x[0-9a-f]{64}$/);
    expect(out.results.map((r) => [r.id, r.class, r.rule])).to.deep.equal([
      ["ondo-finance", "eligible", "curated"],
      ["wrapped-eeth", "staking", "curated"],
      ["brand-new-token", "unknown", "none"],
    ]);
  });

  it("prints a table, and exits 2 with a usage line when no id is given", function () {
    const table = keeper(["classify", "tether-gold"]);
    expect(table.code).to.equal(0);
    expect(table.stdout).to.match(/tether-gold\s+rwa\s+curated\s+tokenized gold/);
    const none = keeper(["classify"]);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/missing required argument 'ids'/);
  });
});
