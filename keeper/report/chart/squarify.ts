export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Squarified treemap layout (Bruls, Huizing and van Wijk, 2000): tiles `values` into `bounds` with areas in
 * proportion to the values and aspect ratios kept near 1. Returns one rectangle per value, in the input's order;
 * values of zero or less get an empty rectangle. Sorting largest first before calling gives the best shapes.
 */
export function squarify(values: readonly number[], bounds: Rect): Rect[] {
  const result: Rect[] = values.map(() => ({ x: bounds.x, y: bounds.y, width: 0, height: 0 }));
  const total = values.reduce((sum, v) => sum + Math.max(0, v), 0);
  if (total <= 0 || bounds.width <= 0 || bounds.height <= 0) return result;

  const scale = (bounds.width * bounds.height) / total;
  const items = values.map((value, index) => ({ index, area: value * scale })).filter((item) => item.area > 0);
  let free: Rect = { ...bounds };
  let row: typeof items = [];

  for (const item of items) {
    const side = Math.min(free.width, free.height);
    if (row.length === 0 || worstRatio([...row, item], side) <= worstRatio(row, side)) {
      row.push(item);
    } else {
      free = placeRow(row, free, result);
      row = [item];
    }
  }
  if (row.length > 0) placeRow(row, free, result);
  return result;
}

/** The worst aspect ratio in a row of areas laid along a side of length `side`. */
function worstRatio(row: readonly { area: number }[], side: number): number {
  const sum = row.reduce((s, r) => s + r.area, 0);
  const max = Math.max(...row.map((r) => r.area));
  const min = Math.min(...row.map((r) => r.area));
  return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min));
}

/** Lays the row along the shorter side of `free` and returns what is left of it. */
function placeRow(row: readonly { index: number; area: number }[], free: Rect, out: Rect[]): Rect {
  const sum = row.reduce((s, r) => s + r.area, 0);
  if (free.width >= free.height) {
    // A column on the left, as wide as the row's area needs over the full height.
    const columnWidth = sum / free.height;
    let y = free.y;
    for (const r of row) {
      const height = r.area / columnWidth;
      out[r.index] = { x: free.x, y, width: columnWidth, height };
      y += height;
    }
    return { x: free.x + columnWidth, y: free.y, width: free.width - columnWidth, height: free.height };
  }
  const rowHeight = sum / free.width;
  let x = free.x;
  for (const r of row) {
    const width = r.area / rowHeight;
    out[r.index] = { x, y: free.y, width, height: rowHeight };
    x += width;
  }
  return { x: free.x, y: free.y + rowHeight, width: free.width, height: free.height - rowHeight };
}
