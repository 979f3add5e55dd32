import { useEffect, useRef } from "preact/hooks";
import * as echarts from "echarts/core";
import { LineChart, TreemapChart } from "echarts/charts";
import { AriaComponent, GridComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import type { EChartsCoreOption } from "echarts/core";

// Only what the app draws, so the bundle carries no unused chart types.
echarts.use([LineChart, TreemapChart, GridComponent, TooltipComponent, MarkAreaComponent, MarkLineComponent, AriaComponent, SVGRenderer]);

/** An ECharts chart with a text alternative (`label`) for screen readers. */
export function Chart({ option, label, height = 320 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    chart.current = echarts.init(element.current!, undefined, { renderer: "svg" });
    const onResize = () => chart.current?.resize();
    window.addEventListener("resize", onResize);
    return () => {
      window.removeEventListener("resize", onResize);
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true, label: { description: label } }, ...option }, true);
  }, [option, label]);
  return <div ref={element} role="img" aria-label={label} style={{ width: "100%", height: `${height}px` }} />;
}
