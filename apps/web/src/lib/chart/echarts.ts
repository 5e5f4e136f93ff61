import * as echarts from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, DataZoomComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { EChartsCoreOption } from "echarts/core";

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export type ChartOptions = EChartsCoreOption;

/**
 * The one owner of an ECharts instance: init, option updates, resizing with its element, and disposal.
 * Pages pass only options.
 */
export class ChartHandle {
  readonly #chart: echarts.ECharts;
  readonly #resizeObserver: ResizeObserver;

  constructor(element: HTMLElement) {
    this.#chart = echarts.init(element, undefined, { renderer: "canvas" });
    this.#resizeObserver = new ResizeObserver(() => this.#chart.resize());
    this.#resizeObserver.observe(element);
  }

  setOptions(options: ChartOptions): void {
    this.#chart.setOption(options, { notMerge: true });
  }

  dispose(): void {
    this.#resizeObserver.disconnect();
    this.#chart.dispose();
  }
}
