import { useMemo } from "preact/hooks";
import { regimeGaugeOption } from "../../keeper/charts/index.js";
import { formatBps, type RegimeDecision } from "../../keeper/core/index.js";
import { Chart } from "./Chart.js";

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
  const option = useMemo(() => (distanceBps === null || bandBps === null ? null : regimeGaugeOption({ distanceBps, bandBps })), [distanceBps, bandBps]);
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
