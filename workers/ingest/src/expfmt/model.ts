import type { Label, MetricType, NativeHistogram } from "../remotewrite/model";

export type { Label, MetricType, NativeHistogram };

/** What every exposition parser (Prometheus text, OpenMetrics text, protobuf) produces. */
export interface MetricFamily {
  name: string;
  /** Prometheus text's `untyped` is `unknown`, as in OpenMetrics. */
  type: MetricType;
  help: string;
  unit: string;
  samples: ExpositionSample[];
}

export interface ExpositionSample {
  /** The sample's own metric name, e.g. `http_requests_total` or `latency_seconds_bucket`. */
  name: string;
  /** Sorted by name, unique, without `__name__` (the scraper adds it and the target labels). */
  labels: Label[];
  value: number;
  /** Explicit timestamp in ms, or null when the exposition gives none (the scraper uses the scrape time). */
  timestamp: number | null;
  /** Start ("created") timestamp in ms from OpenMetrics `_created` lines or protobuf `start_timestamp`. */
  createdTimestamp: number | null;
  exemplars: readonly ExpositionExemplar[];
  /** Protobuf exposition only: the native histogram (the sample's `value` is then NaN). */
  histogram: NativeHistogram | null;
}

export interface ExpositionExemplar {
  labels: Label[];
  value: number;
  timestamp: number | null;
}

export const NO_EXEMPLARS: readonly ExpositionExemplar[] = Object.freeze([]);
