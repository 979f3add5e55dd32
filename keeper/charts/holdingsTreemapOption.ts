import type { EChartsCoreOption } from "echarts/core";
import { formatNumber, formatPercent } from "../core/format/numbers.js";

export interface HoldingsTreemapOptionParameters {
  /** Value of each holding in the vault's asset (whole units); holdings of zero or less are left out. */
  holdings: readonly { symbol: string; value: number }[];
  /** Tiles drawn one by one, largest first; the rest share one "N others" tile, so 100 constituents stay readable. */
  tiles?: number;
  /** The cash holding, drawn in grey so it stands apart from the risk assets. */
  cashSymbol?: string;
  title?: string;
}

const PALETTE = ["#1f6feb", "#e3892c", "#2da44e", "#cf222e", "#8250df", "#1b7c83", "#bf8700", "#d1478f", "#5a6b8c", "#6e9a3a"];
const CASH_COLOR = "#9aa0a6";
const OTHERS_COLOR = "#57606a";

/** Holdings as a treemap, each tile's area its value, labelled with symbol, weight and value where they fit. */
export function holdingsTreemapOption({ holdings, tiles = Infinity, cashSymbol, title }: HoldingsTreemapOptionParameters): EChartsCoreOption {
  const held = holdings.filter((h) => h.value > 0).sort((a, b) => b.value - a.value || (a.symbol < b.symbol ? -1 : 1));
  const total = held.reduce((sum, h) => sum + h.value, 0);
  let colour = 0;
  const data = held.slice(0, tiles).map((h) => ({
    name: h.symbol,
    value: h.value,
    itemStyle: { color: h.symbol === cashSymbol ? CASH_COLOR : PALETTE[colour++ % PALETTE.length] },
  }));
  const tail = held.slice(tiles);
  if (tail.length > 0) {
    data.push({ name: `${tail.length} others`, value: tail.reduce((sum, h) => sum + h.value, 0), itemStyle: { color: OTHERS_COLOR } });
  }
  const describe = ({ name, value }: { name: string; value: number }) => `${name}\n${formatPercent(value / total, 1)}\n$${formatNumber(value, 0)}`;
  return {
    animation: false,
    ...(title === undefined ? {} : { title: { text: title, left: "center", top: 8, textStyle: { fontSize: 18 } } }),
    tooltip: { formatter: ({ name, value }: { name: string; value: number }) => `${name}: $${formatNumber(value, 0)} (${formatPercent(value / total, 1)})` },
    series: [
      {
        type: "treemap",
        top: title === undefined ? 0 : 50,
        left: 10,
        right: 10,
        bottom: 10,
        width: "auto",
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        itemStyle: { borderColor: "#ffffff", borderWidth: 2, gapWidth: 2 },
        label: { show: true, formatter: describe, color: "#ffffff", fontSize: 14, lineHeight: 18 },
        data,
      },
    ],
  };
}
