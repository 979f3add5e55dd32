import { formatNumber, formatPercent } from "../../core/index.js";
import type { HoldingRecord } from "../types.js";
import { squarify } from "./squarify.js";
import { SvgDocument } from "./svgDocument.js";

export interface TreemapSvgParameters {
  holdings: readonly HoldingRecord[];
  title: string;
  /** The cash holding, drawn in grey so it stands apart from the risk assets. */
  stablecoinSymbol: string;
  width?: number;
  height?: number;
}

const PALETTE = ["#1f6feb", "#e3892c", "#2da44e", "#cf222e", "#8250df", "#1b7c83", "#bf8700", "#d1478f", "#5a6b8c", "#6e9a3a"];
const CASH_COLOR = "#9aa0a6";

/** End holdings as a squarified treemap, each tile's area its value, labelled with symbol and weight. */
export function treemapSvg({ holdings, title, stablecoinSymbol, width = 1200, height = 800 }: TreemapSvgParameters): string {
  const svg = new SvgDocument(width, height);
  svg.text(width / 2, 32, title, { "font-size": 20, "font-weight": "bold", "text-anchor": "middle" });
  const shown = holdings.filter((h) => h.valueAsset > 0).sort((a, b) => b.valueAsset - a.valueAsset);
  if (shown.length === 0) {
    svg.text(width / 2, height / 2, "No holdings", { "font-size": 16, "text-anchor": "middle", fill: "#888888" });
    return svg.toString();
  }
  const tiles = squarify(
    shown.map((h) => h.valueAsset),
    { x: 10, y: 50, width: width - 20, height: height - 60 },
  );
  let colorIndex = 0;
  for (const [i, holding] of shown.entries()) {
    const tile = tiles[i];
    const color = holding.symbol === stablecoinSymbol ? CASH_COLOR : PALETTE[colorIndex++ % PALETTE.length];
    svg.rect(tile.x, tile.y, tile.width, tile.height, { fill: color, stroke: "#ffffff", "stroke-width": 2 });
    drawLabel(svg, tile, holding);
  }
  return svg.toString();
}

/** Symbol, weight and (room permitting) value, sized to the tile; tiles too small for any text stay bare. */
function drawLabel(svg: SvgDocument, tile: { x: number; y: number; width: number; height: number }, holding: HoldingRecord): void {
  const lines = [holding.symbol, formatPercent(holding.weight, 1), `$${formatNumber(holding.valueAsset, 0)}`];
  // DejaVu Sans averages about 0.62 em per character; size the text so the longest line fits with a margin.
  const fits = (count: number, size: number) =>
    Math.max(...lines.slice(0, count).map((l) => l.length)) * size * 0.62 <= tile.width - 8 && count * size * 1.25 <= tile.height - 6;
  // Fewer lines at a readable size beat more lines in tiny type; the smallest tiles get the symbol alone.
  for (const [count, minimumSize] of [[3, 12], [2, 9], [1, 8]] as const) {
    const size = [22, 18, 15, 12, 10, 9, 8].find((s) => s >= minimumSize && fits(count, s));
    if (size === undefined) continue;
    const top = tile.y + tile.height / 2 - ((count - 1) * size * 1.25) / 2;
    lines.slice(0, count).forEach((line, i) => {
      svg.text(tile.x + tile.width / 2, top + i * size * 1.25, line, {
        "font-size": i === 0 ? size : size * 0.85,
        "font-weight": i === 0 ? "bold" : "normal",
        "text-anchor": "middle",
        "dominant-baseline": "middle",
        fill: "#ffffff",
      });
    });
    return;
  }
}
