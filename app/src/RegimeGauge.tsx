import { useMemo } from "preact/hooks";
import { formatBps, formatSignedPercent, type RegimeDecision } from "../../keeper/core/index.js";
import { Chart } from "./Chart.js";

/** The gauge's range of trend distance, in bps either side of the moving average. */
const RANGE_BPS = 2_000;

/**
 * Where the market stands against the regime model's switch conditions, from the latest published snapshot:
 * the trend distance (market cap against its moving average) on a dial whose red and green ends are the
 * bear and bull conditions and whose grey middle is the volatility-scaled dead band, with breadth, confirmations and
 * evidence beside it.
 */
export function RegimeGauge({ decision }: { decision: RegimeDecision | null }) {
  const inputs = decision?.inputs;
  const distanceBps = typeof inputs?.distanceBps === "number" ? inputs.distanceBps : null;
  // The model's band scales with volatility: each decision publishes the one it used.
  const bandBps = typeof inputs?.bandBps === "number" ? inputs.bandBps : null;
  const option = useMemo(() => {
    if (distanceBps === null || bandBps === null) return null;
    const at = (bps: number) => (bps + RANGE_BPS) / (2 * RANGE_BPS);
    return {
      series: [
        {
          type: "gauge",
          min: -RANGE_BPS / 100,
          max: RANGE_BPS / 100,
          startAngle: 200,
          endAngle: -20,
          axisLine: { lineStyle: { width: 18, color: [[at(-bandBps), "#b3261e"], [at(bandBps), "#9e9e9e"], [1, "#1b7f3b"]] } },
          axisTick: { show: false },
          splitLine: { length: 8 },
          axisLabel: { distance: 22, formatter: (v: number) => `${v}%` },
          pointer: { width: 5 },
          detail: { formatter: (v: number) => formatSignedPercent(v / 100, 1), fontSize: 18, offsetCenter: [0, "60%"] },
          data: [{ value: Math.max(-RANGE_BPS, Math.min(RANGE_BPS, distanceBps)) / 100, name: "trend vs average" }],
        },
      ],
    };
  }, [distanceBps, bandBps]);
  if (decision === null) return <p>No snapshot published yet: the regime gauge shows the latest published decision.</p>;
  const breadth = typeof inputs?.breadthBps === "number" ? formatBps(inputs.breadthBps) : "not measured";
  const summary =
    distanceBps === null || bandBps === null
      ? `The ${decision.source} model decided ${decision.state} on ${decision.asOf.slice(0, 10)}; it publishes no trend distance to draw.`
      : `On ${decision.asOf.slice(0, 10)} the market was ${formatBps(Math.abs(distanceBps))} ${distanceBps >= 0 ? "above" : "below"} its ${inputs!.window}-day average ` +
        `(the dead band, scaled to volatility, is ±${formatBps(bandBps)}), breadth ${breadth} (bear below ${formatBps(Number(inputs!.bearBreadthBps))}, bull above ${formatBps(Number(inputs!.bullBreadthBps))}), ` +
        `${inputs!.confirmations} of ${inputs!.requiredConfirmations} confirming days and ${Number(inputs!.evidenceSigmaDays).toFixed(2)} of ${inputs!.requiredEvidenceSigmaDays} units of evidence; the regime is ${decision.state}${decision.changed ? ` (switched from ${decision.previous})` : ""}.`;
  return (
    <div data-testid="regime-gauge">
      {option !== null && <Chart option={option} label={summary} height={240} />}
      <p>{summary}</p>
    </div>
  );
}
