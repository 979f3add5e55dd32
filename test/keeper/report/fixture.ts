import type { SeasonReportData } from "../../../keeper/report/types.js";

const VAULT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const USDC = "0x0000000000000000000000000000000000000a01";
const WBTC = "0x0000000000000000000000000000000000000a02";
const WETH = "0x0000000000000000000000000000000000000a03";
const SOL = "0x0000000000000000000000000000000000000a04";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const day = (n: number) => new Date(Date.UTC(2025, 0, 6 + n)).toISOString();

/**
 * Two weeks, three tokens and cash: a weekly rebalance, a switch to bear (into cash) and back, four trades.
 * Hand-made so every figure the report shows can be checked by eye.
 */
export function smallSeason(): SeasonReportData {
  const nav = [1, 1.02, 1.05, 1.01, 0.97, 0.96, 0.96, 0.961, 0.962, 0.962, 0.99, 1.03, 1.06, 1.08];
  const bh = [1, 1.03, 1.07, 1.0, 0.9, 0.85, 0.8, 0.78, 0.82, 0.85, 0.9, 0.97, 1.02, 1.05];
  const btc = [1, 1.01, 1.04, 1.02, 0.95, 0.9, 0.88, 0.87, 0.9, 0.93, 0.97, 1.0, 1.04, 1.07];
  const bear = new Set([4, 5, 6, 7, 8, 9]);
  return {
    weeks: 2,
    tokens: 3,
    seed: 42,
    network: "hardhat",
    chainId: 31337,
    vault: VAULT,
    vaultDeploymentBlock: 7,
    stablecoinSymbol: "USDC",
    btcSymbol: "WBTC",
    startedAt: "2025-01-06T00:00:00.000Z",
    finishedAt: "2025-01-19T00:00:00.000Z",
    wallSeconds: 12.34,
    series: nav.map((navPerShare, i) => ({ date: day(i), navPerShare, buyAndHold: bh[i], btc: btc[i], regime: bear.has(i) ? "bear" : "bull" })),
    rebalances: [
      rebalance("1", day(0), "weekly", "bull", 2, { entered: ["WBTC", "WETH", "SOL"] }),
      rebalance("2", day(4), "switch-to-bear", "bear", 1, { left: ["SOL"] }),
      rebalance("3", day(10), "switch-to-bull", "bull", 1, { entered: ["SOL"] }),
    ],
    regimeTimeline: [
      { regime: "bull", from: day(0), to: day(4) },
      { regime: "bear", from: day(4), to: day(10) },
      { regime: "bull", from: day(10), to: null },
    ],
    trades: [
      trade(1, day(0), "1", USDC, WBTC, "500000000000", "789000", "785000", 31.2),
      trade(2, day(0), "1", USDC, WETH, "300000000000", "95000000000000000000", "94500000000000000000", 28.5),
      trade(3, day(4), "2", WETH, USDC, "95000000000000000000", "289000000000", "287000000000", 33.1),
      trade(4, day(10), "3", USDC, SOL, "150000000000", "1000000000000", "995000000000", 30.0),
    ],
    depositorActions: [
      { date: day(0), depositor: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", kind: "deposit", assets: 1_000_000, shares: 1_000_000, txHash: hash(0xd1) },
      { date: day(7), depositor: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", kind: "redeem-in-kind", assets: 48_100, shares: 50_000, txHash: hash(0xd2) },
    ],
    holdings: [
      holding("USDC", USDC, "120000000000", 120_000, 0.1168, 0.1),
      holding("WBTC", WBTC, "789000", 540_000, 0.5256, 0.5),
      holding("WETH", WETH, "0", 0, 0, 0),
      holding("SOL", SOL, "1000000000000", 367_400, 0.3576, 0.4),
    ],
    tokenInfo: [
      { address: USDC, symbol: "USDC", decimals: 6 },
      { address: WBTC, symbol: "WBTC", decimals: 8 },
      { address: WETH, symbol: "WETH", decimals: 18 },
      { address: SOL, symbol: "SOL", decimals: 9 },
    ],
    final: {
      navAsset: 1_027_400,
      navPerShare: 1.08,
      totalSupply: 951_296.3,
      maxDrawdown: 0.0857142857142857,
      buyAndHoldMaxDrawdown: 0.2710280373831776,
      btcMaxDrawdown: 0.16346153846153846,
      totalGasUsed: 1_234_567,
      totalTradingCostAsset: 4_321.5,
    },
  };
}

function rebalance(
  epoch: string,
  date: string,
  kind: SeasonReportData["rebalances"][number]["kind"],
  regime: "bull" | "bear",
  trades: number,
  { entered = [], left = [] }: { entered?: string[]; left?: string[] },
): SeasonReportData["rebalances"][number] {
  return {
    epoch,
    date,
    kind,
    regime,
    snapshotHash: hash(0x5000 + Number(epoch)),
    commitTx: hash(0xc000 + Number(epoch)),
    transactions: trades,
    trades,
    gasUsed: 400_000 * trades,
    turnover: 0.3 * trades,
    costAsset: 1_000 * trades,
    costBpsOfNav: 10 * trades,
    navBeforeAsset: 1_000_000,
    navAfterAsset: 1_000_000 - 1_000 * trades,
    constituentsEntered: entered,
    constituentsLeft: left,
  };
}

function trade(
  n: number,
  date: string,
  epoch: string,
  tokenIn: string,
  tokenOut: string,
  amountIn: string,
  amountOut: string,
  minAmountOut: string,
  slippageBps: number,
): SeasonReportData["trades"][number] {
  return { date, epoch, txHash: hash(0xa000 + n), blockNumber: 100 + n, tokenIn, tokenOut, amountIn, amountOut, minAmountOut, valueInAsset: 1, valueOutAsset: 1, slippageBps };
}

function holding(symbol: string, address: string, balance: string, valueAsset: number, weight: number, targetWeight: number): SeasonReportData["holdings"][number] {
  return { symbol, address, balance, valueAsset, weight, targetWeight };
}
