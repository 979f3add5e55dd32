import { formatFixed } from "../core/index.js";
import type { AuditReport } from "./types.js";

/**
 * The per-epoch verdict table for a terminal, then every violation on its own line (epoch, check, trade,
 * message). NAV figures are in whole stablecoin units; the loss budget's use is the ring's fraction of NAV after the
 * epoch's last batch (units of 1e-10 of NAV shown as bps) against the budget.
 */
export function formatAuditTable(report: AuditReport): string {
  const whole = (amount: bigint | string) => formatFixed(BigInt(amount), report.stablecoinDecimals, 2);
  const header = ["epoch", "date (UTC)", "regime", "targets", "trades", "NAV before", "NAV after", "loss used/budget", "violations", "verdict"];
  const rows = report.epochs.map((e) => [
    e.epoch,
    /^\d+$/.test(e.epoch) && Number(e.epoch) < 1e11 ? new Date(Number(e.epoch) * 1000).toISOString().slice(0, 16).replace("T", " ") : "-",
    e.regime ?? "?",
    String(e.targets.length),
    String(e.trades.length),
    e.navBefore === null || e.navBefore === undefined ? "-" : whole(e.navBefore),
    e.navAfter === null || e.navAfter === undefined ? "-" : whole(e.navAfter),
    e.lossBudget.usedAfter === null ? "-" : `${formatFixed(e.lossBudget.usedAfter, 6, 2)}/${e.lossBudget.budgetBps} bps`,
    String(e.violations.length),
    e.verdict.toUpperCase(),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // No trailing padding: the verdict ends the line, where the CLI finds it to colour it.
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 && i <= 8 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [
    `vault ${report.vault} on chain ${report.chainId}, blocks ${report.fromBlock}-${report.toBlock}`,
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
  ];
  if (report.violations.length > 0) {
    out.push("", `${report.violations.length} violation(s):`);
    for (const v of report.violations) {
      out.push(`  epoch ${v.epoch}  ${v.check}${v.tradeIndex === undefined ? "" : `  trade ${v.tradeIndex}`}${v.txHash === undefined ? "" : `  tx ${v.txHash}`}`, `    ${v.message}`);
    }
  } else {
    out.push("", "no violations");
  }
  const skipped = report.epochs.flatMap((e) => e.skipped.map((s) => `  epoch ${e.epoch}  ${s.check}${s.tradeIndex === undefined ? "" : `  trade ${s.tradeIndex}`}: ${s.reason}`));
  if (skipped.length > 0) out.push("", "checks not run:", ...[...new Set(skipped)]);
  return out.join("\n");
}
