import * as echarts from "echarts/core";
import { GaugeChart, LineChart, TreemapChart } from "echarts/charts";
import {
  AriaComponent,
  GridComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

// Only what the app draws (it loads this as a chunk of its own); the SVG renderer serves both the browser and the
// server-side rendering of the reports' PNGs, which add the title and legend their pictures carry.
echarts.use([
  GaugeChart,
  LineChart,
  TreemapChart,
  GridComponent,
  TooltipComponent,
  MarkAreaComponent,
  MarkLineComponent,
  AriaComponent,
  SVGRenderer,
]);

export { echarts };
