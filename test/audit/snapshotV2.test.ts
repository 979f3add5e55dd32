import { expect } from "chai";
import { canonicalSnapshotJson, classifyAsset, commitForSnapshot, DEFAULT_METHODOLOGY_CONFIG_V2, snapshotHash, type MarketAsset, type SnapshotV2 } from "../../keeper/core/index.js";
import { checkEpochSnapshot } from "../../keeper/audit/index.js";
import { loadClassification } from "../../keeper/data/classification.js";
import { parseTokenList, tokensByProviderId } from "../../keeper/data/tokenList.js";

const CHAIN = 31337;
const STABLE = "0x00000000000000000000000000000000000000aa";
const EPOCH = "1763942400"; // Monday 2025-11-24 00:00 UTC
const { table, hash: classificationHash } = loadClassification("v1");
const IDS = ["bitcoin", "ethereum", "chainlink", "pax-gold", "wrapped-eeth"];
const tokenList = parseTokenList(
  {
    name: "test",
    timestamp: "2025-01-01T00:00:00.000Z",
    version: { major: 1, minor: 0, patch: 0 },
    tokens: IDS.map((id, i) => ({ chainId: CHAIN, address: `0x${String(i + 1).padStart(40, "0")}`, name: id, symbol: id.slice(0, 4).toUpperCase(), decimals: 18, extensions: { providerId: id } })),
  },
  CHAIN,
);

const ADDRESS_OF = new Map([...tokensByProviderId(tokenList)].map(([id, t]) => [id, t.address]));

function classified(id: string, marketCapUsd: number): MarketAsset {
  const base = { id, symbol: id.slice(0, 4).toUpperCase(), marketCapUsd, priceUsd: 10, volume24hUsd: 1e9, medianVolume30dUsd: 1e9, priceLow30dUsd: 9, priceHigh30dUsd: 11, historyDays: 365 };
  const { class: cls, rule } = classifyAsset({ asset: base, table });
  return { ...base, class: cls, classRule: rule };
}

function snapshot(): SnapshotV2 {
  const asOf = new Date(Number(EPOCH) * 1000).toISOString();
  return {
    version: 2,
    asOf,
    dataCutoff: "2025-11-23T00:00:00.000Z",
    chainId: CHAIN,
    universe: [classified("bitcoin", 1800e9), classified("ethereum", 450e9), classified("chainlink", 9e9), classified("pax-gold", 2e9), classified("wrapped-eeth", 9e9)],
    registry: IDS,
    currentMembers: [],
    methodology: { ...DEFAULT_METHODOLOGY_CONFIG_V2, constituentCount: 5, tieredCaps: { largestCount: 1, largestCapFraction: 0.6, otherCapFraction: 0.5 } },
    classification: { version: table.version, hash: classificationHash },
    regime: { state: "bull", previous: "bull", changed: false, asOf, source: "test", inputs: {} },
  };
}

/** Audits `s` as the committed snapshot of EPOCH, its targets committed exactly as re-derived. */
function audit(s: SnapshotV2) {
  const text = canonicalSnapshotJson(s);
  let targets: ReturnType<typeof commitForSnapshot>["targets"] = [];
  try {
    targets = commitForSnapshot(s, ADDRESS_OF, STABLE).targets;
  } catch {
    // A snapshot the methodology cannot derive targets from: the audit must say so itself.
  }
  return checkEpochSnapshot({ epoch: EPOCH, chainId: CHAIN, stablecoin: STABLE, committed: { regime: "bull", snapshotHash: snapshotHash(text), targets }, snapshotText: text, snapshotFile: `${EPOCH}.json`, tokenList });
}

describe("audit of snapshot v2", function () {
  it("passes a v2 snapshot whose classification, cut-off and targets all hold, holding only the eligible ids", function () {
    const { violations, skipped } = audit(snapshot());
    expect({ violations, skipped }).to.deep.equal({ violations: [], skipped: [] });
    expect(commitForSnapshot(snapshot(), ADDRESS_OF, STABLE).targets).to.have.length(3);
  });

  it("flags a classification hash that is not the shipped file's", function () {
    const { violations } = audit({ ...snapshot(), classification: { version: "v1", hash: `0x${"00".repeat(32)}` } });
    expect(violations.map((v) => v.check)).to.deep.equal(["classification"]);
    expect(violations[0]!.message).to.match(/classification v1 has hash 0x[0-9a-f]{64}, the snapshot says 0x0{64}/);
  });

  it("flags a classification version that was never shipped", function () {
    const { violations } = audit({ ...snapshot(), classification: { version: "v9", hash: classificationHash } });
    expect(violations.map((v) => v.check)).to.deep.equal(["classification"]);
    expect(violations[0]!.message).to.match(/unknown classification version "v9"/);
  });

  it("flags an asset recorded in a class the shipped rules do not give it (tokenized gold passed off as eligible)", function () {
    const s = snapshot();
    const tampered = { ...s, universe: s.universe.map((a) => (a.id === "pax-gold" ? { ...a, class: "eligible" as const } : a)) };
    const { violations } = audit(tampered);
    expect(violations.map((v) => v.check)).to.deep.equal(["classification"]);
    expect(violations[0]!.message).to.match(/pax-gold recorded eligible\/curated, the rules give rwa\/curated/);
  });

  it("flags a regime decision whose state is not its previous one flipped exactly when it changed", function () {
    const s = snapshot();
    expect(audit({ ...s, regime: { ...s.regime, previous: "bear", changed: true } }).violations).to.deep.equal([]);
    const { violations } = audit({ ...s, regime: { ...s.regime, previous: "bear", changed: false } });
    expect(violations.map((v) => v.check)).to.deep.equal(["regime"]);
    expect(violations[0]!.values).to.deep.equal({ state: "bull", previous: "bear", changed: "false" });
    expect(audit({ ...s, regime: { ...s.regime, changed: true } }).violations.map((v) => v.check)).to.deep.equal(["regime"]);
  });

  it("flags a data cut-off that is not the epoch's", function () {
    const { violations } = audit({ ...snapshot(), dataCutoff: "2025-11-23T12:00:00.000Z" });
    expect(violations.map((v) => v.check)).to.deep.equal(["snapshot-epoch"]);
  });

  it("refuses a snapshot version it does not know", function () {
    const text = canonicalSnapshotJson(snapshot()).replace('"version":2', '"version":3');
    const { violations } = checkEpochSnapshot({ epoch: EPOCH, chainId: CHAIN, stablecoin: STABLE, committed: { regime: "bull", snapshotHash: snapshotHash(text), targets: [] }, snapshotText: text, snapshotFile: "x.json", tokenList });
    expect(violations.map((v) => v.check)).to.deep.equal(["snapshot-invalid"]);
    expect(violations[0]!.message).to.match(/version 3 is not one this audit derives targets from \(1, 2\)/);
  });
});

describe("audit of snapshot v2: what each violation carries", function () {
  it("names the expected cut-off next to the published one", function () {
    const { violations } = audit({ ...snapshot(), dataCutoff: "2025-11-23T12:00:00.000Z" });
    expect(violations[0]!.values).to.deep.equal({ dataCutoff: "2025-11-23T12:00:00.000Z", expected: "2025-11-23T00:00:00.000Z" });
  });

  it("names an unknown classification version, and a missing hash as null instead of crashing", function () {
    expect(audit({ ...snapshot(), classification: { version: "v9", hash: classificationHash } }).violations[0]!.values).to.deep.equal({ version: "v9" });
    const { violations } = audit({ ...snapshot(), classification: { version: "v1" } as SnapshotV2["classification"] });
    expect(violations.map((v) => v.check)).to.deep.equal(["classification"]);
    expect(violations[0]!.values).to.deep.equal({ version: "v1", snapshotHash: null, shippedHash: classificationHash });
  });

  it("flags an asset whose class is right but whose rule is not, and lists every misclassified asset", function () {
    const s = snapshot();
    const tampered = {
      ...s,
      universe: s.universe.map((a) => (a.id === "bitcoin" ? { ...a, classRule: "provider-flag" } : a.id === "pax-gold" ? { ...a, class: "eligible" as const } : a)),
    };
    const { violations } = audit(tampered);
    expect(violations.map((v) => v.check)).to.deep.equal(["classification"]);
    const bitcoin = s.universe.find((a) => a.id === "bitcoin")!;
    expect(violations[0]!.values).to.deep.equal({
      misclassified: 2,
      detail: `bitcoin recorded ${bitcoin.class}/provider-flag, the rules give ${bitcoin.class}/${bitcoin.classRule}; pax-gold recorded eligible/curated, the rules give rwa/curated`,
    });
  });
});
