/** A countdown in days, hours and minutes (`2 d 3 h 15 min`; under a day `3 h 15 min`); negative counts as 0. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d} d ${h} h ${m} min` : `${h} h ${m} min`;
}
