import * as echarts from "echarts/core";
import { GaugeChart, LineChart, TreemapChart } from "echarts/charts";
import { AriaComponent, GridComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

// Only what the app draws, so the chunk carries no unused chart types.
echarts.use([GaugeChart, LineChart, TreemapChart, GridComponent, TooltipComponent, MarkAreaComponent, MarkLineComponent, AriaComponent, SVGRenderer]);

export { echarts };
