import { formatAmount, formatDate, formatNumber, formatPercent, formatSignedPercent, formatTokenAmount, formatUsd } from "../core/index.js";
import { markdownTable } from "./markdownTable.js";
import { seasonSummary } from "./seasonSummary.js";
import type { SeasonReportData, TokenInfo } from "./types.js";

export interface ReportMarkdownParameters {
  data: SeasonReportData;
  /** Paths of the pictures relative to the Markdown file. */
  navChartFile: string;
  treemapFile: string;
}

/** The season's report as one Markdown page: parameters, headline figures, charts and every table. */
export function reportMarkdown({ data, navChartFile, treemapFile }: ReportMarkdownParameters): string {
  const tokens = tokenLookup(data.tokenInfo ?? []);
  return [
    `# Season report: ${data.weeks} weeks, ${data.tokens} tokens`,
    runParametersSection(data),
    summarySection(data),
    `## NAV per share\n\nVault NAV per share against a buy-and-hold of the initial basket and against ${data.btcSymbol ?? "the BTC-like token"} alone, all starting at 1.0. Shaded: bear regime.\n\n![NAV per share over the season](${navChartFile})`,
    regimeTimelineSection(data),
    rebalancesSection(data),
    holdingsSection(data, tokens, treemapFile),
    depositorActionsSection(data),
    transactionLogSection(data, tokens),
  ].join("\n\n") + "\n";
}

function runParametersSection(data: SeasonReportData): string {
  const rows = [
    ["Weeks", String(data.weeks)],
    ["Tokens", String(data.tokens)],
    ["Seed", String(data.seed)],
    ["Network", `${data.network} (chain id ${data.chainId})`],
    ["Vault", code(data.vault)],
    ["Cash asset", data.stablecoinSymbol],
    ["Started", data.startedAt],
    ["Finished", data.finishedAt],
    ["Wall time", `${formatNumber(data.wallSeconds, 1)} s`],
  ];
  return `## Run parameters\n\n${markdownTable(["Parameter", "Value"], rows)}`;
}

function summarySection(data: SeasonReportData): string {
  const summary = seasonSummary(data);
  const ret = (value: number | null) => (value === null ? "n/a" : formatSignedPercent(value));
  const comparison = markdownTable(
    ["", "Vault", "Buy-and-hold", data.btcSymbol ?? "BTC-like token"],
    [
      ["Return", ret(summary.nav_return), ret(summary.buy_and_hold_return), ret(summary.btc_return)],
      ["Max drawdown", formatPercent(summary.max_drawdown), formatPercent(summary.buy_and_hold_max_drawdown), formatPercent(summary.btc_max_drawdown)],
    ],
    ["left", "right", "right", "right"],
  );
  const costShare = data.final.navAsset > 0 ? ` (${formatNumber((data.final.totalTradingCostAsset / data.final.navAsset) * 10_000, 1)} bps of final NAV)` : "";
  const figures = markdownTable(
    ["Figure", "Value"],
    [
      ["Final NAV per share", formatAmount(data.final.navPerShare, 6)],
      ["Final NAV", formatUsd(data.final.navAsset)],
      ["Shares outstanding", formatAmount(data.final.totalSupply, 6)],
      ["Rebalances", `${summary.rebalances} (${summary.weekly_rebalances} weekly, ${summary.regime_switches} regime switches)`],
      ["Regime switches", String(summary.regime_switches)],
      ["Trades", `${formatNumber(summary.trades, 0)} in ${formatNumber(summary.transactions, 0)} transactions`],
      ["Total gas", formatNumber(data.final.totalGasUsed, 0)],
      ["Total trading cost (slippage and fees against the oracle)", `${formatUsd(data.final.totalTradingCostAsset)}${costShare}`],
    ],
    ["left", "right"],
  );
  return `## Summary\n\n${comparison}\n\n${figures}`;
}

function regimeTimelineSection(data: SeasonReportData): string {
  const lastDate = data.series.at(-1)?.date ?? data.finishedAt;
  const rows = data.regimeTimeline.map((span) => [
    span.regime,
    formatDate(span.from),
    span.to === null ? `${formatDate(lastDate)} (open)` : formatDate(span.to),
    formatNumber(daysBetween(span.from, span.to ?? lastDate), 0),
  ]);
  return `## Regime timeline\n\n${orNone(rows, () => markdownTable(["Regime", "From", "To", "Days"], rows, ["left", "left", "left", "right"]))}`;
}

function rebalancesSection(data: SeasonReportData): string {
  const rows = data.rebalances.map((r) => [
    r.epoch,
    formatDate(r.date),
    r.kind,
    r.regime,
    formatNumber(r.trades, 0),
    formatNumber(r.transactions, 0),
    formatNumber(r.gasUsed, 0),
    formatPercent(r.turnover),
    formatUsd(r.costAsset),
    formatNumber(r.costBpsOfNav, 1),
    r.constituentsEntered.join(", ") || "–",
    r.constituentsLeft.join(", ") || "–",
  ]);
  const header = ["Epoch", "Date", "Kind", "Regime", "Trades", "Txs", "Gas", "Turnover", "Cost", "Cost (bps of NAV)", "Entered", "Left"];
  const align = ["right", "left", "left", "left", "right", "right", "right", "right", "right", "right", "left", "left"] as const;
  return `## Rebalances\n\nTurnover is the traded value as a share of NAV before; cost is oracle value in minus oracle value out.\n\n${orNone(rows, () => markdownTable(header, rows, align))}`;
}

function holdingsSection(data: SeasonReportData, tokens: TokenLookup, treemapFile: string): string {
  const sorted = [...data.holdings].sort((a, b) => b.valueAsset - a.valueAsset);
  const rows = sorted.map((h) => [
    h.symbol,
    code(h.address),
    formatTokenAmount(h.balance, tokens.decimals(h.address) ?? tokens.decimals(h.symbol)),
    formatUsd(h.valueAsset),
    formatPercent(h.weight),
    formatPercent(h.targetWeight),
  ]);
  const total = data.holdings.reduce((sum, h) => sum + h.valueAsset, 0);
  rows.push(["**Total**", "", "", formatUsd(total), formatPercent(data.holdings.reduce((s, h) => s + h.weight, 0)), ""]);
  const table = markdownTable(["Token", "Address", "Balance", "Value", "Weight", "Target"], rows, ["left", "left", "right", "right", "right", "right"]);
  return `## Holdings at the end\n\n${data.holdings.length === 0 ? "None." : table}\n\n![Holdings by value](${treemapFile})`;
}

function depositorActionsSection(data: SeasonReportData): string {
  const rows = data.depositorActions.map((a) => [
    formatDate(a.date),
    code(shortAddress(a.depositor)),
    a.kind,
    formatUsd(a.assets),
    formatAmount(a.shares, 6),
    code(a.txHash),
  ]);
  const table = () => markdownTable(["Date", "Depositor", "Action", "Assets", "Shares", "Tx hash"], rows, ["left", "left", "left", "right", "right", "left"]);
  return `## Depositor actions\n\n${orNone(rows, table)}`;
}

function transactionLogSection(data: SeasonReportData, tokens: TokenLookup): string {
  const rows = data.trades.map((t, i) => [
    String(i + 1),
    formatDate(t.date),
    formatNumber(t.blockNumber, 0),
    code(t.txHash),
    tokens.symbol(t.tokenIn),
    tokens.symbol(t.tokenOut),
    formatTokenAmount(t.amountIn, tokens.decimals(t.tokenIn)),
    formatTokenAmount(t.amountOut, tokens.decimals(t.tokenOut)),
    formatTokenAmount(t.minAmountOut, tokens.decimals(t.tokenOut)),
    formatNumber(t.slippageBps, 1),
  ]);
  const header = ["#", "Date", "Block", "Tx hash", "In", "Out", "Amount in", "Amount out", "Min out", "Slippage (bps)"];
  const align = ["right", "left", "right", "left", "left", "left", "right", "right", "right", "right"] as const;
  return `## Transaction log\n\nEvery trade the vault executed, in chain order. Slippage is oracle value in minus oracle value out, over value in, pool fee included.\n\n${orNone(rows, () => markdownTable(header, rows, align))}`;
}

interface TokenLookup {
  symbol(token: string): string;
  decimals(token: string): number | undefined;
}

/** Trades and holdings may name a token by address or symbol; both find its entry, case-insensitively. */
function tokenLookup(tokenInfo: readonly TokenInfo[]): TokenLookup {
  const byKey = new Map<string, TokenInfo>();
  for (const info of tokenInfo) {
    byKey.set(info.address.toLowerCase(), info);
    byKey.set(info.symbol.toLowerCase(), info);
  }
  return {
    symbol: (token) => byKey.get(token.toLowerCase())?.symbol ?? (/^0x[0-9a-fA-F]{40}$/.test(token) ? shortAddress(token) : token),
    decimals: (token) => byKey.get(token.toLowerCase())?.decimals,
  };
}

function shortAddress(address: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(address) ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

function code(text: string): string {
  return text === "" ? "" : `\`${text}\``;
}

function orNone(rows: readonly unknown[], table: () => string): string {
  return rows.length === 0 ? "None." : table();
}

function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
}
