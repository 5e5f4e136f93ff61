export { default as Chart } from "./Chart.svelte";
export type { ChartOptions } from "./echarts";
