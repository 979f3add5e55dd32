import {
  classifyAsset,
  computeTargets,
  DEFAULT_REGIME_CONFIG,
  epochFor,
  evaluateRegime,
  regimeHistoryDays,
  InsufficientHistoryError,
  InvalidInputError,
  NO_ASSET_PASSED,
  lastWeeklyRebalance,
  planRebalance,
  resolveMethodologyConfigV2,
  tradeDustAsset,
  type MarketAsset,
  type MethodologyConfigV2,
  type PlannerConfig,
  type RegimeConfig,
  type RegimeState,
  type TargetWeight,
  type TokenInfo,
  type Trade,
} from "../core/index.js";
import type { Route } from "../core/routing/types.js";
import { loadClassification } from "../data/classification.js";
import { DEFAULT_KEEPER_SETTINGS } from "../run/defaultKeeperSettings.js";
import { HOP_GAS, legGasUnits } from "../core/routing/legGasUnits.js";
import { gasUsd, interpolateGas, sideGas } from "./gasModel.js";
import { createLiquidityModel, type LiquidityModel, type VenueReserves } from "./liquidityModel.js";
import { createPointInTimeView, type PointInTimeView } from "./pointInTimeView.js";
import type { Dataset, ExecutionModel, Flow, Frequency } from "./types.js";

/** The keeper's run settings the backtest honours (keeper/run/context.ts KeeperSettings). */
export interface BacktestKeeperSettings {
  readonly minTradeBpsOfNav: number;
  readonly maxRounds: number;
  readonly universeSize: number;
  /** The vault's bound on one trade's loss against the oracle; a worse fill is halved, up to 4 times. */
  readonly maxSlippageBps: number;
}

/** The live keeper's defaults, and the devnet vault's slippage bound (devnet/deployVault.ts). */
export const DEFAULT_BACKTEST_KEEPER_SETTINGS: BacktestKeeperSettings = Object.freeze({
  minTradeBpsOfNav: DEFAULT_KEEPER_SETTINGS.minTradeBpsOfNav,
  maxRounds: DEFAULT_KEEPER_SETTINGS.maxRounds,
  universeSize: DEFAULT_KEEPER_SETTINGS.universeSize,
  maxSlippageBps: 250,
});

export interface RunBacktestParameters {
  readonly dataset: Dataset;
  /** First and last simulated day (indices into dataset.dates, inclusive); earlier days only warm the regime model up. */
  readonly fromDay: number;
  readonly toDay: number;
  readonly frequencies: readonly Frequency[];
  /** Regime model on (true) and/or off (false). */
  readonly regimes: readonly boolean[];
  /** Over the keeper's defaults (DEFAULT_KEEPER_SETTINGS.methodology: snapshot v2, the $5,000 depth screen on). */
  readonly methodology?: Partial<MethodologyConfigV2>;
  readonly regime?: Partial<RegimeConfig>;
  /** The planner's settings; dust defaults to $10 as on the devnet. */
  readonly planner?: Partial<PlannerConfig>;
  readonly keeper?: Partial<BacktestKeeperSettings>;
  readonly execution: ExecutionModel;
  readonly capitalUsd: number;
  /** Entry and exit fees of the vault (bps), kept in the vault for the remaining holders. */
  readonly entryFeeBps?: number;
  readonly exitFeeBps?: number;
  readonly flows?: readonly Flow[];
  readonly onProgress?: (day: number, days: number) => void;
}

export interface PortfolioPoint {
  readonly date: string;
  /** NAV per share, 1 at the start. */
  readonly navPerShare: number;
  readonly navUsd: number;
  readonly regime: RegimeState;
}

export interface RebalanceEvent {
  readonly date: string;
  readonly kind: "scheduled" | "launch" | "switch-to-bear" | "switch-to-bull";
  readonly trades: number;
  readonly tradedUsd: number;
  readonly feeUsd: number;
  readonly impactUsd: number;
  readonly gasUsd: number;
  readonly navUsd: number;
}

export interface PortfolioResult {
  readonly frequency: Frequency;
  readonly regimeOn: boolean;
  readonly series: readonly PortfolioPoint[];
  readonly rebalances: readonly RebalanceEvent[];
  readonly feeUsd: number;
  readonly impactUsd: number;
  /** Paid by the keeper's account, not by the vault: reported as a cost, not deducted from NAV. */
  readonly gasUsd: number;
  readonly gasUnits: number;
  readonly tradedUsd: number;
  readonly trades: number;
}

export interface RunBacktestReturnType {
  readonly dates: readonly string[];
  readonly portfolios: readonly PortfolioResult[];
  /** The same methodology rebalanced daily at zero cost, no cash buffer, no fees, regime off: 1 at the start. */
  readonly theoretical: readonly number[];
  /** The regime model's state each day (bull throughout when no portfolio runs it). */
  readonly regimePath: readonly RegimeState[];
  readonly methodology: MethodologyConfigV2;
  readonly regimeConfig: RegimeConfig;
  readonly keeper: BacktestKeeperSettings;
  readonly liquidity: LiquidityModel["mode"];
  readonly venues: LiquidityModel["venues"];
  /** Every asset the on-chain depth screen (on the liquidity model) kept out of the index on some day, with how many days. */
  readonly depthScreened: readonly { readonly id: string; readonly days: number }[];
}

const STABLE: TokenInfo = Object.freeze({ address: "0x00000000000000000000000000000000000000ff", decimals: 6 });
const STABLE_UNIT = 1e6;
const DAY_SECONDS = 86_400;
const YEAR_SECONDS = 365 * DAY_SECONDS;

interface Portfolio {
  readonly frequency: Frequency;
  readonly regimeOn: boolean;
  cash: bigint;
  readonly balances: Map<number, bigint>;
  shares: number;
  /** Committed targets: asset index -> bps (bear: empty, all cash). */
  targets: Map<number, number>;
  committed: boolean;
  regime: RegimeState;
  /** Targets decided on an earlier day (or a scheduled run that commits nothing), traded once their day comes (the execution lag). */
  pending: { day: number; kind: RebalanceEvent["kind"]; committed: boolean } | null;
  readonly depositors: Map<string, number>;
  readonly series: PortfolioPoint[];
  readonly rebalances: RebalanceEvent[];
  feeUsd: number;
  impactUsd: number;
  gasUsd: number;
  gasUnits: number;
  tradedUsd: number;
  trades: number;
}

/**
 * Replays the keeper day by day over a dataset for every frequency x regime combination in one pass: each
 * simulated day the point-in-time view advances once, the regime model runs once (its path does not depend on
 * the frequency), and each portfolio commits and trades exactly as `keeper run` would: computeTargets on the
 * day's universe with its own members (the rank buffer), evaluateRegime on the day's history, planRebalance
 * against its own holdings, sells then buys re-planned from the cash they raised, up to maxRounds rounds.
 * Fills go through the liquidity model's pools (fee tier + constant-product impact, pools restored by
 * arbitrage overnight); gas comes from the measured batch costs.
 */
export function runBacktest(params: RunBacktestParameters): RunBacktestReturnType {
  const { dataset, fromDay, toDay, frequencies, regimes, execution, capitalUsd, flows = [], onProgress } = params;
  if (!(Number.isInteger(fromDay) && Number.isInteger(toDay) && fromDay >= 0 && toDay < dataset.dates.length && fromDay < toDay)) {
    throw new InvalidInputError("The backtest needs at least two days inside the data.", { details: [`from: ${dataset.dates[fromDay] ?? fromDay}`, `to: ${dataset.dates[toDay] ?? toDay}`] });
  }
  if (frequencies.length === 0 || regimes.length === 0) throw new InvalidInputError("Nothing to run: no frequency or no regime setting.");
  if (!(Number.isFinite(capitalUsd) && capitalUsd >= 1)) throw new InvalidInputError("Capital must be at least $1.", { details: `capitalUsd: ${capitalUsd}` });
  if (!(execution.executionLagDays === 0 || execution.executionLagDays === 1)) throw new InvalidInputError("Execution lag must be 0 or 1 day.", { details: `executionLagDays: ${execution.executionLagDays}` });
  // The keeper's methodology, its on-chain depth screen included (read on the liquidity model).
  const methodology = resolveMethodologyConfigV2({ ...DEFAULT_KEEPER_SETTINGS.methodology, ...definedOnly(params.methodology ?? {}) });
  const regimeConfig: RegimeConfig = { ...DEFAULT_REGIME_CONFIG, ...definedOnly(params.regime ?? {}) };
  const keeper: BacktestKeeperSettings = { ...DEFAULT_BACKTEST_KEEPER_SETTINGS, ...definedOnly(params.keeper ?? {}) };
  const plannerConfig: Partial<PlannerConfig> = { dustAsset: 10n * BigInt(STABLE_UNIT), ...params.planner };
  const entryFeeBps = params.entryFeeBps ?? 0;
  const exitFeeBps = params.exitFeeBps ?? 0;

  const view = createPointInTimeView(dataset, fromDay);
  const tokens = dataset.assets.map((a, i): TokenInfo => ({ address: `0x${(i + 1).toString(16).padStart(40, "0")}`, decimals: a.decimals }));
  const liquidity = createLiquidityModel(dataset, view, execution.liquidity, execution.venues ?? "direct", (asset) => tokens[asset]!.address, STABLE.address);
  const indexByAddress = new Map(tokens.map((t, i) => [t.address, i]));
  const indexById = new Map(dataset.assets.map((a, i) => [a.id, i]));
  const registry = dataset.registry;
  const flowsByDay = new Map<number, Flow[]>();
  for (const flow of flows) flowsByDay.set(flow.day, [...(flowsByDay.get(flow.day) ?? []), flow]);

  const portfolios: Portfolio[] = [];
  for (const regimeOn of regimes) {
    for (const frequency of frequencies) {
      portfolios.push({
        frequency,
        regimeOn,
        cash: BigInt(Math.round(capitalUsd * STABLE_UNIT)),
        balances: new Map(),
        shares: capitalUsd,
        targets: new Map(),
        committed: false,
        regime: "bull",
        pending: null,
        depositors: new Map([["launch", capitalUsd]]),
        series: [],
        rebalances: [],
        feeUsd: 0,
        impactUsd: 0,
        gasUsd: 0,
        gasUnits: 0,
        tradedUsd: 0,
        trades: 0,
      });
    }
  }

  // Oracle prices as a Chainlink USD feed reports them (8 decimals), in the planner's unit; one read per asset and day.
  const oracleCache = new Float64Array(dataset.assets.length).fill(Number.NaN);
  let oracleDay = -1;
  const oracleUsd = (asset: number): number => {
    if (oracleDay !== view.day) {
      oracleCache.fill(Number.NaN);
      oracleDay = view.day;
    }
    let usd = oracleCache[asset]!;
    if (Number.isNaN(usd)) {
      const raw = view.priceUsd(asset);
      if (!(raw > 0)) throw new InvalidInputError("A held or targeted asset has no price.", { details: `${dataset.assets[asset]!.id} on ${view.date}` });
      usd = Math.max(1, Math.round(raw * 1e8)) / 1e8;
      oracleCache[asset] = usd;
    }
    return usd;
  };
  // The planner's inputs in its units, read once per asset and day: every portfolio and round asks again.
  const PRICE18_PER_USD8 = 10n ** 16n;
  const price18Cache: (bigint | undefined)[] = [];
  const depthCache: (bigint | undefined)[] = [];
  let plannerInputsDay = -1;
  const plannerInputs = (asset: number): { price: bigint; depth: bigint } => {
    if (plannerInputsDay !== view.day) {
      price18Cache.length = 0;
      depthCache.length = 0;
      plannerInputsDay = view.day;
    }
    const price = (price18Cache[asset] ??= BigInt(Math.round(oracleUsd(asset) * 1e8)) * PRICE18_PER_USD8);
    const depth = (depthCache[asset] ??= liquidity.depthAsset(asset));
    return { price, depth };
  };
  const unitOf = Float64Array.from(tokens, (t) => 10 ** t.decimals);
  const navUsd = (p: Portfolio): number => {
    let nav = Number(p.cash) / STABLE_UNIT;
    for (const [asset, balance] of p.balances) if (balance > 0n) nav += (Number(balance) / unitOf[asset]!) * oracleUsd(asset);
    return nav;
  };

  // As the live keeper (keeper/run/buildTargets.ts): a snapshot v2 of the data at the epoch's cut-off, the close a
  // full day before it, every asset classified with the shipped classification, and with the depth screen on each
  // registered asset's on-chain depth at the cut-off, here from the liquidity model (at the run's first decision,
  // whose cut-off precedes the pools, read on the day itself, as the keeper reads a vault deployed after the cut-off).
  const { table } = loadClassification();
  const cutoffDay = (): number => Math.max(0, view.day - 1);
  let classified: { day: number; assets: MarketAsset[] } | undefined;
  const universeAtCutoff = (): MarketAsset[] => {
    if (classified?.day !== cutoffDay()) {
      const depthDay = cutoffDay() < fromDay ? view.day : cutoffDay();
      const assets = view.universe(keeper.universeSize, cutoffDay()).map((asset): MarketAsset => {
        const { class: cls, rule } = classifyAsset({ asset, table });
        const withDepth = methodology.minOnChainDepthUsd > 0 && registry.has(asset.id) ? { onChainDepthUsd: liquidity.depthWithinBandUsd(indexById.get(asset.id)!, depthDay, methodology.depthBandBps) } : {};
        return { ...asset, class: cls, classRule: rule, ...withDepth };
      });
      classified = { day: cutoffDay(), assets };
    }
    return classified.assets;
  };
  const targetsCache = new Map<string, Map<number, number>>();
  const depthScreened = new Map<string, Set<number>>();
  const targetsFor = (members: readonly string[]): Map<number, number> => {
    const key = `${view.day}|${members.join(",")}`;
    let cached = targetsCache.get(key);
    if (cached === undefined) {
      cached = new Map();
      try {
        const { weightsBps, excluded } = computeTargets({ version: 2, universe: universeAtCutoff(), registry, currentMembers: members, methodology });
        for (const [id, bps] of weightsBps) if (bps > 0) cached.set(indexById.get(id)!, bps);
        for (const { id, reason } of excluded) if (reason === "depth") depthScreened.set(id, (depthScreened.get(id) ?? new Set()).add(view.day));
      } catch (error) {
        // Early in a dataset no asset has the listing history the screens ask for: the live keeper refuses to
        // build targets then, so the index waits in cash until the first asset qualifies.
        if (!(error instanceof InvalidInputError && error.shortMessage === NO_ASSET_PASSED)) throw error;
      }
      targetsCache.set(key, cached);
    }
    return cached;
  };
  const membersOf = (targets: ReadonlyMap<number, number>): string[] => [...targets.keys()].map((i) => dataset.assets[i]!.id).sort();

  const runsRegime = regimes.includes(true);
  let regimeState: RegimeState = "bull";
  // As the keeper (keeper/run/decideRegime.ts): the cool-down counts from the last switch.
  let lastSwitchAsOf: string | null = null;
  const regimePath: RegimeState[] = [];
  let theoreticalWeights = new Map<number, number>();
  let theoreticalMembers: string[] = [];
  let theoreticalValue = 1;
  const theoretical: number[] = [];
  const dates: string[] = [];
  const days = toDay - fromDay + 1;

  for (let day = fromDay; day <= toDay; day++) {
    view.advanceTo(day);
    const date = view.date;
    dates.push(date);
    onProgress?.(day - fromDay + 1, days);

    if (day > fromDay) {
      let growth = 0;
      for (const [asset, weight] of theoreticalWeights) growth += weight * (view.priceUsd(asset) / view.priceUsd(asset, day - 1));
      theoreticalValue *= theoreticalWeights.size === 0 ? 1 : growth;
    }
    theoretical.push(theoreticalValue);
    const theoreticalTargets = targetsFor(theoreticalMembers);
    theoreticalWeights = new Map([...theoreticalTargets].map(([asset, bps]) => [asset, bps / 10_000]));
    theoreticalMembers = membersOf(theoreticalTargets);

    let decision: RegimeState = regimeState;
    if (runsRegime) {
      const ids = view.universe(keeper.universeSize, cutoffDay()).filter((a) => registry.has(a.id) && !a.isStablecoin && a.derivativeOf === undefined).map((a) => a.id);
      // As the keeper: the history of the registered assets up to the cut-off, breadth measured on those priced in the universe.
      const history = view.regimeHistory(ids, regimeHistoryDays(regimeConfig), cutoffDay());
      try {
        decision = evaluateRegime({ history, previous: regimeState, lastSwitchAsOf, asOf: new Date(Date.parse(date) - 86_400_000).toISOString(), constituents: ids, config: regimeConfig }).state;
      } catch (error) {
        // Before a full window of history the model cannot speak: the index stays in its state (invested at launch).
        if (!(error instanceof InsufficientHistoryError)) throw error;
      }
    }

    for (const p of portfolios) {
      if (p.pending !== null && p.pending.day <= day) {
        rebalance(p, p.pending.kind, p.pending.committed);
        p.pending = null;
      }
      const regimeToday: RegimeState = p.regimeOn ? decision : "bull";
      const switching = p.committed && regimeToday !== p.regime;
      const scheduled = isScheduled(p.frequency, date);
      const due = !p.committed || switching || (regimeToday === "bull" && scheduled);
      if (due) {
        const kind: RebalanceEvent["kind"] = !p.committed ? "launch" : switching ? (regimeToday === "bear" ? "switch-to-bear" : "switch-to-bull") : "scheduled";
        p.targets = regimeToday === "bear" ? new Map() : targetsFor(membersOf(p.targets));
        p.regime = regimeToday;
        p.committed = true;
        const commitGas = interpolateGas(execution.gas.commitGas, Math.max(1, p.targets.size));
        p.gasUnits += commitGas;
        p.gasUsd += gasUsd(execution.gas, commitGas);
        if (execution.executionLagDays === 0) rebalance(p, kind, true);
        else p.pending = { day: day + execution.executionLagDays, kind, committed: true };
      } else if (scheduled || hasUnfinishedExit(p)) {
        // As the keeper's weekly run in bear (runRebalance): nothing is committed, but it trades toward the
        // committed targets, which finishes an exit to cash that the switch's rounds left unfinished; the daily
        // regime check does the same for a token the targets left (keeper/run retries exits every day).
        if (execution.executionLagDays === 0) rebalance(p, "scheduled", false);
        else p.pending = { day: day + execution.executionLagDays, kind: "scheduled", committed: false };
      }
      for (const flow of flowsByDay.get(day - fromDay) ?? []) applyFlow(p, flow);
      accrueManagementFee(p);
      const nav = navUsd(p);
      p.series.push({ date, navPerShare: nav / p.shares, navUsd: nav, regime: p.regime });
    }
    if (runsRegime && decision !== regimeState) lastSwitchAsOf = date;
    if (runsRegime) regimeState = decision;
    regimePath.push(regimeState);
  }

  /** A committed portfolio still holding a token its targets left: an exit the keeper retries daily. */
  function hasUnfinishedExit(p: Portfolio): boolean {
    if (!p.committed) return false;
    for (const [asset, balance] of p.balances) if (balance > 0n && !p.targets.has(asset)) return true;
    return false;
  }

  /** A run that commits nothing and finds nothing to trade leaves no event, as the season's records skip it. */
  function rebalance(p: Portfolio, kind: RebalanceEvent["kind"], committed: boolean): void {
    const before = { trades: p.trades, traded: p.tradedUsd, fee: p.feeUsd, impact: p.impactUsd, gas: p.gasUsd };
    const nav0 = navUsd(p);
    const pools = new Map<string, VenueReserves>();
    const targetsBps: TargetWeight[] = p.targets.size === 0 ? [{ token: STABLE, weightBps: 10_000 }] : [...p.targets].map(([asset, bps]) => ({ token: tokens[asset]!, weightBps: bps }));
    for (let round = 0; round < keeper.maxRounds; round++) {
      // Every token held or targeted, with its oracle price and the depth its pool shows.
      const holdings = [{ token: STABLE, balance: p.cash }];
      const prices = new Map<string, bigint>();
      const depthAsset = new Map<string, bigint>();
      const involve = (asset: number): void => {
        const { address } = tokens[asset]!;
        if (prices.has(address)) return;
        const { price, depth } = plannerInputs(asset);
        prices.set(address, price);
        depthAsset.set(address, depth);
      };
      for (const [asset, balance] of p.balances) {
        if (balance <= 0n) continue;
        holdings.push({ token: tokens[asset]!, balance });
        involve(asset);
      }
      for (const asset of p.targets.keys()) involve(asset);
      const nav = BigInt(Math.floor(navUsd(p) * STABLE_UNIT));
      const plan = planRebalance({
        holdings,
        prices,
        targetsBps,
        stablecoin: STABLE,
        config: { ...plannerConfig, dustAsset: tradeDustAsset({ navAsset: nav, minTradeBpsOfNav: keeper.minTradeBpsOfNav, dustAsset: plannerConfig.dustAsset! }), depthAsset },
      });
      const side = plan.sells.length > 0 ? plan.sells : plan.buys;
      if (side.length === 0) break;
      let legs = 0;
      let extraHops = 0;
      for (const trade of side) {
        const filled = execute(p, trade, pools);
        legs += filled.legs;
        extraHops += filled.extraHops;
      }
      const units = sideGas(execution.gas, legs, prices.size) + extraHops * Number(HOP_GAS);
      p.gasUnits += units;
      p.gasUsd += gasUsd(execution.gas, units);
    }
    if (!committed && p.trades === before.trades) return;
    p.rebalances.push({
      date: view.date,
      kind,
      trades: p.trades - before.trades,
      tradedUsd: p.tradedUsd - before.traded,
      feeUsd: p.feeUsd - before.fee,
      impactUsd: p.impactUsd - before.impact,
      gasUsd: p.gasUsd - before.gas,
      navUsd: nav0,
    });
  }

  /**
   * One order over the asset's routes (liquidityModel: the keeper's route enumeration and split, on the model's
   * reserves, which this rebalance's earlier legs have already moved; arbitrage restores them overnight): each leg is
   * one vault trade. An order with a leg worse than the vault's slippage bound is halved, as the keeper does.
   */
  function execute(p: Portfolio, trade: Trade, pools: Map<string, VenueReserves>): { legs: number; extraHops: number } {
    const sell = trade.side === "sell";
    const asset = indexByAddress.get((sell ? trade.tokenIn : trade.tokenOut).toLowerCase())!;
    const price = oracleUsd(asset);
    const unit = unitOf[asset]!;
    const routes = liquidity.routes(asset, sell ? "sell" : "buy");
    const states = (key: string) => pools.get(key) ?? liquidity.reserves(key);
    const legCostUsd = (route: Route) => gasUsd(execution.gas, Number(legGasUnits(route)));
    let amountIn = sell ? min(trade.amountIn, p.balances.get(asset) ?? 0n) : min(trade.amountIn, p.cash);
    for (let attempt = 0; attempt <= 4 && amountIn > 0n; attempt++, amountIn /= 2n) {
      const valueInUsd = sell ? (Number(amountIn) / unit) * price : Number(amountIn) / STABLE_UNIT;
      if (!(valueInUsd > 0)) continue;
      const { legs, moved } = liquidity.split(routes, valueInUsd, states, legCostUsd);
      if (legs.some((leg) => (leg.valueInUsd - leg.valueOutUsd) / leg.valueInUsd > keeper.maxSlippageBps / 10_000)) continue;
      let valueOutUsd = 0;
      let extraHops = 0;
      for (const leg of legs) {
        valueOutUsd += leg.valueOutUsd;
        p.feeUsd += leg.feeUsd;
        extraHops += leg.route.hops.length - 1;
      }
      for (const [key, state] of moved) pools.set(key, state);
      if (sell) {
        p.balances.set(asset, p.balances.get(asset)! - amountIn);
        p.cash += BigInt(Math.floor(valueOutUsd * STABLE_UNIT));
      } else {
        p.cash -= amountIn;
        p.balances.set(asset, (p.balances.get(asset) ?? 0n) + BigInt(Math.floor((valueOutUsd / price) * unit)));
      }
      p.impactUsd += valueInUsd - valueOutUsd - legs.reduce((sum, leg) => sum + leg.feeUsd, 0);
      p.tradedUsd += valueInUsd;
      p.trades += legs.length;
      return { legs: legs.length, extraHops };
    }
    return { legs: 0, extraHops: 0 };
  }

  /** Deposits buy shares at NAV (the entry fee stays in the vault); redemptions burn shares for cash or in kind. */
  function applyFlow(p: Portfolio, flow: Flow): void {
    const nav = navUsd(p);
    const perShare = nav / p.shares;
    const who = flow.depositor;
    if (flow.kind === "deposit") {
      const shares = flow.amountUsd / (1 + entryFeeBps / 10_000) / perShare;
      p.cash += BigInt(Math.round(flow.amountUsd * STABLE_UNIT));
      p.shares += shares;
      p.depositors.set(who, (p.depositors.get(who) ?? 0) + shares);
      return;
    }
    const held = p.depositors.get(who) ?? 0;
    // A cash redemption is a fraction of what the vault's cash lets the holder redeem (ERC-4626 maxRedeem), net of the exit fee.
    const cashLimit = ((Number(p.cash) / STABLE_UNIT) * (1 + exitFeeBps / 10_000)) / perShare;
    const shares = (flow.kind === "redeem-cash" ? Math.min(held, cashLimit) : held) * flow.fractionOfHolding;
    if (!(shares > 0)) return;
    const fraction = shares / p.shares;
    if (flow.kind === "redeem-cash") {
      const paid = (shares * perShare) / (1 + exitFeeBps / 10_000);
      p.cash -= min(p.cash, BigInt(Math.floor(paid * STABLE_UNIT)));
    } else {
      p.cash -= BigInt(Math.floor(Number(p.cash) * fraction));
      for (const [asset, balance] of p.balances) p.balances.set(asset, balance - BigInt(Math.floor(Number(balance) * fraction)));
    }
    p.shares -= shares;
    p.depositors.set(who, held - shares);
  }

  /** The vault's per-second fee as shares minted to the fee recipient: supply x x / (D - x) for one day. */
  function accrueManagementFee(p: Portfolio): void {
    const x = execution.managementFeeBps * DAY_SECONDS;
    const minted = (p.shares * x) / (10_000 * YEAR_SECONDS - x);
    p.shares += minted;
  }

  return {
    dates,
    portfolios: portfolios.map((p) => ({
      frequency: p.frequency,
      regimeOn: p.regimeOn,
      series: normalise(p.series),
      rebalances: p.rebalances,
      feeUsd: p.feeUsd,
      impactUsd: p.impactUsd,
      gasUsd: p.gasUsd,
      gasUnits: p.gasUnits,
      tradedUsd: p.tradedUsd,
      trades: p.trades,
    })),
    theoretical,
    regimePath,
    methodology,
    regimeConfig,
    keeper,
    liquidity: liquidity.mode,
    venues: liquidity.venues,
    depthScreened: [...depthScreened].map(([id, days]) => ({ id, days: days.size })).sort((a, b) => b.days - a.days || (a.id < b.id ? -1 : 1)),
  };
}

/** Rebalance days: every day, Mondays (the keeper's schedule), the first of each month or of each quarter. */
export function isScheduled(frequency: Frequency, date: string): boolean {
  const at = new Date(`${date}T00:00:00.000Z`);
  switch (frequency) {
    case "daily":
      return true;
    case "weekly":
      return epochFor(lastWeeklyRebalance(at)) === epochFor(at);
    case "monthly":
      return at.getUTCDate() === 1;
    case "quarterly":
      return at.getUTCDate() === 1 && at.getUTCMonth() % 3 === 0;
  }
}

function normalise(series: readonly PortfolioPoint[]): PortfolioPoint[] {
  const first = series[0]!.navPerShare;
  return series.map((point) => ({ ...point, navPerShare: point.navPerShare / first }));
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function definedOnly<T extends object>(config: T): Partial<T> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as Partial<T>;
}
