import type { RegimeSpan, SeriesPoint } from "./types.js";

/** The daily series folded into spans of one regime each (the last span is open: `to` null). */
export function regimeTimeline(series: SeriesPoint[]): RegimeSpan[] {
  const spans: RegimeSpan[] = [];
  for (const p of series) {
    const last = spans[spans.length - 1];
    if (last === undefined || last.regime !== p.regime) {
      if (last !== undefined) last.to = p.date;
      spans.push({ regime: p.regime, from: p.date, to: null });
    }
  }
  return spans;
}
