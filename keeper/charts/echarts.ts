import * as echarts from "echarts/core";
import { GaugeChart, LineChart, TreemapChart } from "echarts/charts";
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

// Only what the app and the reports draw (the app loads this as a chunk of its own); the SVG renderer serves both
// the browser and the server-side rendering of the reports' PNGs.
echarts.use([
  GaugeChart,
  LineChart,
  TreemapChart,
  GridComponent,
  TitleComponent,
  LegendComponent,
  TooltipComponent,
  MarkAreaComponent,
  MarkLineComponent,
  AriaComponent,
  SVGRenderer,
]);

export { echarts };
