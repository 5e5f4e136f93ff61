import type { MetricType } from "./model";

/** Both remote-write versions number the metric types alike (1.0's UNKNOWN is 2.0's UNSPECIFIED). */
const BY_WIRE_NUMBER: readonly MetricType[] = [
  "unknown",
  "counter",
  "gauge",
  "histogram",
  "gaugehistogram",
  "summary",
  "info",
  "stateset",
];

export function metricTypeFromWire(n: number): MetricType {
  return BY_WIRE_NUMBER[n] ?? "unknown";
}

export function metricTypeToWire(type: MetricType): number {
  return BY_WIRE_NUMBER.indexOf(type);
}
