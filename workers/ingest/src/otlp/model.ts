// The OTLP metrics data model (opentelemetry-proto `metrics/v1`), as plain data. Both wire forms (protobuf and
// JSON) decode into it, and the translation to Prometheus series reads only it. Times are milliseconds since the
// epoch: Prometheus stores nothing finer.

export type AnyValue = string | number | boolean | Uint8Array | AnyValue[] | { [key: string]: AnyValue } | null;

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export const enum Temporality {
  Unspecified = 0,
  Delta = 1,
  Cumulative = 2,
}

/** DataPointFlags.FLAG_NO_RECORDED_VALUE: the point marks the end of a series, a Prometheus stale marker. */
export const FLAG_NO_RECORDED_VALUE = 1;

export interface OtlpExemplar {
  attributes: KeyValue[];
  timeMs: number;
  value: number;
  traceId: string;
  spanId: string;
}

interface PointBase {
  attributes: KeyValue[];
  startTimeMs: number;
  timeMs: number;
  flags: number;
  exemplars: OtlpExemplar[];
}

export interface NumberPoint extends PointBase {
  value: number;
}

export interface HistogramPoint extends PointBase {
  count: number;
  sum: number | undefined;
  bucketCounts: number[];
  explicitBounds: number[];
}

export interface ExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface ExponentialHistogramPoint extends PointBase {
  count: number;
  sum: number | undefined;
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
}

export interface SummaryPoint extends PointBase {
  count: number;
  sum: number;
  quantiles: { quantile: number; value: number }[];
}

export type MetricData =
  | { kind: "gauge"; points: NumberPoint[] }
  | { kind: "sum"; points: NumberPoint[]; temporality: Temporality; monotonic: boolean }
  | { kind: "histogram"; points: HistogramPoint[]; temporality: Temporality }
  | { kind: "exponentialHistogram"; points: ExponentialHistogramPoint[]; temporality: Temporality }
  | { kind: "summary"; points: SummaryPoint[] }
  | { kind: "empty" };

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  data: MetricData;
}

export interface ScopeMetrics {
  scope: { name: string; version: string; attributes: KeyValue[] };
  metrics: OtlpMetric[];
}

export interface ResourceMetrics {
  attributes: KeyValue[];
  scopeMetrics: ScopeMetrics[];
}

export interface ExportMetricsRequest {
  resourceMetrics: ResourceMetrics[];
}

/** The request is not valid OTLP: HTTP 400. */
export class OtlpDecodeError extends Error {
  override readonly name = "OtlpDecodeError";
  readonly errorType = "bad_data";
  readonly status = 400;
}

/** Nanoseconds as a decimal string or number → milliseconds, exactly (no float rounding of the nanoseconds). */
export function nanosToMillis(nanos: string | number): number {
  if (typeof nanos === "number") return Math.floor(nanos / 1e6);
  if (!/^\d+$/.test(nanos)) throw new OtlpDecodeError(`invalid nanosecond timestamp "${nanos}"`);
  return nanos.length <= 6 ? 0 : Number(nanos.slice(0, -6));
}
