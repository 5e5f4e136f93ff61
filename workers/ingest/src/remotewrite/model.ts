// The plain data shapes every ingest decoder produces (remote write 1.0 and 2.0, the exposition formats). They
// follow the project's shared contracts: labels sorted by name with unique names, timestamps in integer
// milliseconds, values float64, native histograms in Prometheus's model.

export interface Label {
  name: string;
  value: string;
}

export type MetricType =
  "unknown" | "counter" | "gauge" | "histogram" | "gaugehistogram" | "summary" | "info" | "stateset";

export interface MetricMetadata {
  metricFamilyName: string;
  type: MetricType;
  help: string;
  unit: string;
}

export type CounterResetHint = "unknown" | "counterReset" | "notCounterReset" | "gauge";

export interface BucketSpan {
  offset: number;
  length: number;
}

/**
 * A native histogram in Prometheus's model. Bucket counts are absolute (the wire's integer deltas are summed up),
 * whether the histogram has integer counts (`isFloat` false, Prometheus's `Histogram`) or float counts
 * (`FloatHistogram`). Schema -53 is custom buckets (NHCB) with upper bounds in `customValues`.
 */
export interface NativeHistogram {
  isFloat: boolean;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: BucketSpan[];
  positiveBuckets: number[];
  negativeSpans: BucketSpan[];
  negativeBuckets: number[];
  counterResetHint: CounterResetHint;
  customValues: number[];
}

export interface HistogramSample {
  timestamp: number;
  /** Start ("created") timestamp in ms; 0 means unset, as on the wire. */
  startTimestamp: number;
  histogram: NativeHistogram;
}

export interface Exemplar {
  labels: Label[];
  value: number;
  timestamp: number;
}

export const CUSTOM_BUCKETS_SCHEMA = -53;
