/**
 * Everything a season's report shows, as plain JSON-safe data (amounts as decimal strings or numbers in whole
 * units). The season driver (season/runSeason.ts) fills it from chain state and events; keeper/report renders it.
 */
export interface SeasonReportData {
  /** Run parameters. */
  weeks: number;
  tokens: number;
  seed: number;
  network: string;
  chainId: number;
  vault: string;
  /** The vault's deployment block (its deploymentBlock() view): where an audit of the season starts. */
  vaultDeploymentBlock: number;
  stablecoinSymbol: string;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  /** One point per simulated day, oldest first. */
  series: SeriesPoint[];
  rebalances: RebalanceRecord[];
  regimeTimeline: RegimeSpan[];
  /** Every trade the vault executed, in chain order. */
  trades: TradeRecord[];
  depositorActions: DepositorAction[];
  /** At the end of the season. */
  holdings: HoldingRecord[];
  /**
   * Optional: the tokens the run touched, so the report names trade tokens by symbol (when trades carry addresses)
   * and scales raw integer amounts to whole units. Without it amounts are shown as given.
   */
  tokenInfo?: TokenInfo[];
  /** Optional: the BTC-like token's symbol, for the chart's legend. */
  btcSymbol?: string;
  final: {
    navAsset: number;
    navPerShare: number;
    totalSupply: number;
    maxDrawdown: number;
    buyAndHoldMaxDrawdown: number;
    btcMaxDrawdown: number;
    totalGasUsed: number;
    totalTradingCostAsset: number;
  };
}

export interface SeriesPoint {
  /** ISO date of the simulated day. */
  date: string;
  /** Vault NAV per share, normalised to 1.0 at the start. */
  navPerShare: number;
  /** Buy-and-hold of the initial basket (its first committed weights), normalised to 1.0. */
  buyAndHold: number;
  /** The BTC-like token alone, normalised to 1.0. */
  btc: number;
  regime: "bull" | "bear";
}

export interface RebalanceRecord {
  epoch: string;
  date: string;
  /** Why it ran: the Monday rebalance or a regime switch found by the daily check. */
  kind: "weekly" | "switch-to-bear" | "switch-to-bull";
  regime: "bull" | "bear";
  snapshotHash: string;
  commitTx: string | null;
  transactions: number;
  trades: number;
  gasUsed: number;
  /** Traded value (sum of oracle value in) as a fraction of NAV before. */
  turnover: number;
  /** Oracle value in minus oracle value out, summed: slippage and pool fees against the oracle. */
  costAsset: number;
  costBpsOfNav: number;
  navBeforeAsset: number;
  navAfterAsset: number;
  constituentsEntered: string[];
  constituentsLeft: string[];
}

export interface RegimeSpan {
  regime: "bull" | "bear";
  from: string;
  /** null while the span is still open at the end. */
  to: string | null;
}

export interface TradeRecord {
  date: string;
  epoch: string;
  txHash: string;
  blockNumber: number;
  tokenIn: string;
  tokenOut: string;
  amountIn: string;
  amountOut: string;
  minAmountOut: string;
  valueInAsset: number;
  valueOutAsset: number;
  /** (valueIn - valueOut) / valueIn, in bps: slippage and fee against the oracle. */
  slippageBps: number;
}

export interface DepositorAction {
  date: string;
  depositor: string;
  /** The queued path (IndexQueue): a request, the keeper's settlement of its window, the claim of the shares. */
  kind: "deposit" | "redeem-cash" | "redeem-in-kind" | "deposit-request" | "deposit-settled" | "deposit-claim";
  assets: number;
  shares: number;
  txHash: string;
}

export interface HoldingRecord {
  symbol: string;
  address: string;
  balance: string;
  valueAsset: number;
  weight: number;
  targetWeight: number;
}

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}
