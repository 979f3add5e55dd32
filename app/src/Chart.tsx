import { useEffect, useRef, useState } from "preact/hooks";
import type { ECharts, EChartsCoreOption } from "echarts/core";

/** The chart library is a chunk of its own, fetched by the first chart drawn: no page waits for it to show its figures. */
let library: Promise<typeof import("../../keeper/charts/echarts.js")> | null = null;

/** An ECharts chart (an option from keeper/charts, the reports' own) with a text alternative (`label`) for screen readers. */
export function Chart({ option, label, height = 320 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let instance: ECharts | null = null;
    let disposed = false;
    const onResize = () => instance?.resize();
    library ??= import("../../keeper/charts/echarts.js");
    library.then(
      ({ echarts }) => {
        if (disposed) return;
        instance = echarts.init(element.current!, undefined, { renderer: "svg" });
        setChart(instance);
        window.addEventListener("resize", onResize);
      },
      (e: Error) => {
        library = null;
        setError(`The chart could not be loaded (${e.message}).`);
      },
    );
    return () => {
      disposed = true;
      window.removeEventListener("resize", onResize);
      instance?.dispose();
    };
  }, []);
  useEffect(() => {
    chart?.setOption({ animation: false, aria: { enabled: true, label: { description: label } }, ...option }, true);
  }, [chart, option, label]);
  return (
    <>
      {error !== null && <p class="error">{error}</p>}
      <div ref={element} role="img" aria-label={label} style={{ width: "100%", height: `${height}px` }} />
    </>
  );
}
