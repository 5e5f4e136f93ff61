import { formatFloat } from "@edgeprom/promql/format";
// The stale marker: OTLP's "no recorded value" flag ends a series.
import { STALE_NAN } from "@edgeprom/promql/stale-nan";
import { NO_EXEMPLARS, NO_HISTOGRAMS, SampleColumns, type WriteSeries } from "../remotewrite/batch";
import type {
  BucketSpan,
  Exemplar,
  HistogramSample,
  Label,
  MetricMetadata,
  MetricType,
  NativeHistogram,
} from "../remotewrite/model";
import {
  FLAG_NO_RECORDED_VALUE,
  Temporality,
  type AnyValue,
  type ExponentialHistogramPoint,
  type ExportMetricsRequest,
  type KeyValue,
  type OtlpExemplar,
  type OtlpMetric,
} from "./model";
import { compareLabelNames } from "../relabel";
import { prometheusLabelName, prometheusMetricName, unitWords, type OtlpMetricKind } from "./names";

/** Series translated from one OTLP request, in the columns every ingest path writes. */
export interface OtlpTranslation {
  series: WriteSeries[];
  timestamps: Float64Array;
  values: Float64Array;
  metadata: MetricMetadata[];
  counts: { samples: number; histograms: number; exemplars: number };
  /** Data points that cannot be stored (delta temporality, unsupported scale); OTLP's partial success. */
  rejected: { dataPoints: number; messages: string[] };
}

const IDENTIFYING_ATTRIBUTES = new Set(["service.name", "service.namespace", "service.instance.id"]);

/**
 * Translates OTLP metrics to Prometheus series as Prometheus's OTLP receiver does by default: names with unit and
 * type suffixes, `job` from `service.namespace`/`service.name`, `instance` from `service.instance.id`, the other
 * resource attributes on `target_info`. Only cumulative sums and histograms can be stored; delta points are rejected
 * with Prometheus's message and the rest of the request is kept.
 */
export function translateOtlp(request: ExportMetricsRequest): OtlpTranslation {
  const out = new TranslationBuilder();
  for (const resource of request.resourceMetrics) {
    const resourceLabels = jobAndInstance(resource.attributes);
    let latest = -Infinity;
    for (const scope of resource.scopeMetrics) {
      for (const metric of scope.metrics) {
        latest = Math.max(latest, out.addMetric(metric, resourceLabels));
      }
    }
    const infoAttributes = resource.attributes.filter((a) => !IDENTIFYING_ATTRIBUTES.has(a.key));
    if (infoAttributes.length > 0 && Number.isFinite(latest)) {
      const labels = buildLabels("target_info", resourceLabels, infoAttributes, []);
      out.addFloat(labels, latest, 1, NO_EXEMPLARS);
      out.addMetadata({ metricFamilyName: "target_info", type: "gauge", help: "Target metadata", unit: "" });
    }
  }
  return out.finish();
}

function jobAndInstance(attributes: readonly KeyValue[]): Label[] {
  const get = (key: string) => {
    const found = attributes.find((a) => a.key === key);
    return found ? stringify(found.value) : "";
  };
  const name = get("service.name");
  const namespace = get("service.namespace");
  const instance = get("service.instance.id");
  const labels: Label[] = [];
  if (name !== "") labels.push({ name: "job", value: namespace !== "" ? `${namespace}/${name}` : name });
  if (instance !== "") labels.push({ name: "instance", value: instance });
  return labels;
}

/** Attribute values as label values: strings as they are, everything else in its JSON form. */
function stringify(value: AnyValue): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  if (value instanceof Uint8Array) {
    let binary = "";
    for (const b of value) binary += String.fromCharCode(b);
    return btoa(binary);
  }
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? stringify(v) : v));
}

/**
 * Point attributes, then the resource's job and instance, then extra labels (le, quantile) and the name. Attributes
 * whose sanitized names collide are joined with `;` in the order of their original keys, as Prometheus does.
 */
function buildLabels(
  name: string,
  resourceLabels: readonly Label[],
  attributes: readonly KeyValue[],
  extra: readonly Label[],
): Label[] {
  const merged = new Map<string, { key: string; value: string }[]>();
  for (const attribute of attributes) {
    const labelName = prometheusLabelName(attribute.key);
    if (labelName === "") continue;
    const list = merged.get(labelName) ?? [];
    list.push({ key: attribute.key, value: stringify(attribute.value) });
    merged.set(labelName, list);
  }
  const labels = new Map<string, string>();
  for (const [labelName, list] of merged) {
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    labels.set(labelName, list.map((e) => e.value).join(";"));
  }
  for (const l of resourceLabels) labels.set(l.name, l.value);
  for (const l of extra) labels.set(l.name, l.value);
  labels.set("__name__", name);
  return [...labels]
    .filter(([, value]) => value !== "")
    .map(([labelName, value]) => ({ name: labelName, value }))
    .sort(compareLabelNames);
}

class TranslationBuilder {
  readonly #columns = new SampleColumns(256, false);
  readonly #series: WriteSeries[] = [];
  readonly #metadata = new Map<string, MetricMetadata>();
  readonly #rejected = { dataPoints: 0, messages: [] as string[] };
  #histograms = 0;
  #exemplars = 0;

  /** Adds a metric's points; returns the latest point timestamp (for target_info), or -Infinity. */
  addMetric(metric: OtlpMetric, resourceLabels: readonly Label[]): number {
    const data = metric.data;
    let latest = -Infinity;
    const reject = (count: number) => {
      this.#rejected.dataPoints += count;
      this.#rejected.messages.push(`invalid temporality and type combination for metric "${metric.name}"`);
    };
    switch (data.kind) {
      case "empty":
        return latest;
      case "gauge":
      case "sum": {
        const cumulativeCounter = data.kind === "sum" && data.monotonic;
        if (cumulativeCounter && data.temporality !== Temporality.Cumulative) {
          reject(data.points.length);
          return latest;
        }
        const kind: OtlpMetricKind = cumulativeCounter ? "counter" : "gauge";
        const name = prometheusMetricName(metric.name, metric.unit, kind);
        this.addMetadata(metadataOf(metric, name, kind));
        for (const p of data.points) {
          const value = p.flags & FLAG_NO_RECORDED_VALUE ? STALE_NAN : p.value;
          this.addFloat(
            buildLabels(name, resourceLabels, p.attributes, []),
            p.timeMs,
            value,
            this.#exemplarsOf(p.exemplars),
          );
          latest = Math.max(latest, p.timeMs);
        }
        return latest;
      }
      case "histogram": {
        if (data.temporality !== Temporality.Cumulative) {
          reject(data.points.length);
          return latest;
        }
        const name = prometheusMetricName(metric.name, metric.unit, "histogram");
        this.addMetadata(metadataOf(metric, name, "histogram"));
        for (const p of data.points) {
          const stale = (p.flags & FLAG_NO_RECORDED_VALUE) !== 0;
          const exemplars = this.#exemplarsOf(p.exemplars);
          let cumulative = 0;
          for (let i = 0; i <= p.explicitBounds.length; i++) {
            cumulative += p.bucketCounts[i] ?? 0;
            const bound = i < p.explicitBounds.length ? p.explicitBounds[i]! : Infinity;
            const le = { name: "le", value: formatFloat(bound) };
            const bucketExemplars = exemplars.filter(
              (e) => e.value <= bound && (i === 0 || e.value > p.explicitBounds[i - 1]!),
            );
            const value = stale ? STALE_NAN : i < p.explicitBounds.length ? cumulative : p.count;
            this.addFloat(
              buildLabels(`${name}_bucket`, resourceLabels, p.attributes, [le]),
              p.timeMs,
              value,
              bucketExemplars,
            );
          }
          this.#addSumAndCount(name, resourceLabels, p, stale);
          latest = Math.max(latest, p.timeMs);
        }
        return latest;
      }
      case "exponentialHistogram": {
        if (data.temporality !== Temporality.Cumulative) {
          reject(data.points.length);
          return latest;
        }
        const name = prometheusMetricName(metric.name, metric.unit, "histogram");
        this.addMetadata(metadataOf(metric, name, "histogram"));
        for (const p of data.points) {
          const labels = buildLabels(name, resourceLabels, p.attributes, []);
          if (p.flags & FLAG_NO_RECORDED_VALUE) {
            this.addFloat(labels, p.timeMs, STALE_NAN, NO_EXEMPLARS);
          } else if (p.scale < -4) {
            this.#rejected.dataPoints++;
            this.#rejected.messages.push(
              `cannot convert exponential histogram "${metric.name}" with scale ${p.scale} (must be at least -4)`,
            );
            continue;
          } else {
            this.addHistogram(
              labels,
              { timestamp: p.timeMs, startTimestamp: p.startTimeMs, histogram: nativeHistogram(p) },
              this.#exemplarsOf(p.exemplars),
            );
          }
          latest = Math.max(latest, p.timeMs);
        }
        return latest;
      }
      case "summary": {
        const name = prometheusMetricName(metric.name, metric.unit, "summary");
        this.addMetadata(metadataOf(metric, name, "summary"));
        for (const p of data.points) {
          const stale = (p.flags & FLAG_NO_RECORDED_VALUE) !== 0;
          for (const q of p.quantiles) {
            const quantile = { name: "quantile", value: formatFloat(q.quantile) };
            this.addFloat(
              buildLabels(name, resourceLabels, p.attributes, [quantile]),
              p.timeMs,
              stale ? STALE_NAN : q.value,
              NO_EXEMPLARS,
            );
          }
          this.#addSumAndCount(name, resourceLabels, p, stale);
          latest = Math.max(latest, p.timeMs);
        }
        return latest;
      }
    }
  }

  addFloat(labels: Label[], timestamp: number, value: number, exemplars: readonly Exemplar[]): void {
    const index = this.#columns.push();
    this.#columns.timestamps[index] = timestamp;
    this.#columns.values[index] = value;
    this.#exemplars += exemplars.length;
    this.#series.push({ labels, sampleStart: index, sampleCount: 1, histograms: NO_HISTOGRAMS, exemplars });
  }

  addHistogram(labels: Label[], sample: HistogramSample, exemplars: readonly Exemplar[]): void {
    this.#histograms++;
    this.#exemplars += exemplars.length;
    this.#series.push({ labels, sampleStart: this.#columns.length, sampleCount: 0, histograms: [sample], exemplars });
  }

  addMetadata(metadata: MetricMetadata): void {
    this.#metadata.set(metadata.metricFamilyName, metadata);
  }

  /** The `_sum` (when the point has one) and `_count` series of a classic histogram or summary point. */
  #addSumAndCount(
    name: string,
    resourceLabels: readonly Label[],
    p: {
      readonly attributes: readonly KeyValue[];
      readonly timeMs: number;
      readonly sum: number | undefined;
      readonly count: number;
    },
    stale: boolean,
  ): void {
    if (p.sum !== undefined) {
      this.addFloat(
        buildLabels(`${name}_sum`, resourceLabels, p.attributes, []),
        p.timeMs,
        stale ? STALE_NAN : p.sum,
        NO_EXEMPLARS,
      );
    }
    this.addFloat(
      buildLabels(`${name}_count`, resourceLabels, p.attributes, []),
      p.timeMs,
      stale ? STALE_NAN : p.count,
      NO_EXEMPLARS,
    );
  }

  #exemplarsOf(exemplars: readonly OtlpExemplar[]): Exemplar[] {
    return exemplars.map((e) => {
      const labels: Label[] = e.attributes.map((a) => ({
        name: prometheusLabelName(a.key),
        value: stringify(a.value),
      }));
      if (e.traceId !== "") labels.push({ name: "trace_id", value: e.traceId });
      if (e.spanId !== "") labels.push({ name: "span_id", value: e.spanId });
      labels.sort(compareLabelNames);
      return { labels, value: e.value, timestamp: e.timeMs };
    });
  }

  finish(): OtlpTranslation {
    const { timestamps, values } = this.#columns.finish();
    return {
      series: this.#series,
      timestamps,
      values,
      metadata: [...this.#metadata.values()],
      counts: { samples: timestamps.length, histograms: this.#histograms, exemplars: this.#exemplars },
      rejected: this.#rejected,
    };
  }
}

function metadataOf(metric: OtlpMetric, name: string, kind: OtlpMetricKind): MetricMetadata {
  const type: MetricType = kind;
  return { metricFamilyName: name, type, help: metric.description, unit: unitWords(metric.unit).main };
}

/**
 * OTLP bucket i of scale s covers (base^i, base^(i+1)]; Prometheus bucket i covers (base^(i-1), base^i], so indexes
 * shift by one. Scales above 8 (Prometheus's finest schema) are merged down to 8.
 */
function nativeHistogram(p: ExponentialHistogramPoint): NativeHistogram {
  const scaleDown = Math.max(0, p.scale - 8);
  const positive = toSpans(p.positive.offset, p.positive.bucketCounts, scaleDown);
  const negative = toSpans(p.negative.offset, p.negative.bucketCounts, scaleDown);
  return {
    isFloat: false,
    schema: Math.min(p.scale, 8),
    zeroThreshold: p.zeroThreshold > 0 ? p.zeroThreshold : 1e-128,
    zeroCount: p.zeroCount,
    count: p.count,
    sum: p.sum ?? 0,
    positiveSpans: positive.spans,
    positiveBuckets: positive.buckets,
    negativeSpans: negative.spans,
    negativeBuckets: negative.buckets,
    counterResetHint: "unknown",
    customValues: [],
  };
}

/** Dense OTLP buckets → Prometheus spans and absolute counts, skipping empty buckets (gaps of up to two are kept). */
function toSpans(
  offset: number,
  counts: readonly number[],
  scaleDown: number,
): { spans: BucketSpan[]; buckets: number[] } {
  const merged = new Map<number, number>();
  for (let i = 0; i < counts.length; i++) {
    const index = ((offset + i) >> scaleDown) + 1;
    merged.set(index, (merged.get(index) ?? 0) + counts[i]!);
  }
  const indexes = [...merged.keys()].filter((i) => merged.get(i)! > 0).sort((a, b) => a - b);
  const spans: BucketSpan[] = [];
  const buckets: number[] = [];
  let previous = 0;
  for (const index of indexes) {
    const gap = index - previous - 1;
    const last = spans[spans.length - 1];
    if (last !== undefined && gap <= 2) {
      for (let g = 0; g < gap; g++) buckets.push(0);
      last.length += gap + 1;
    } else {
      spans.push({ offset: spans.length === 0 ? index : index - previous - 1, length: 1 });
    }
    buckets.push(merged.get(index)!);
    previous = index;
  }
  return { spans, buckets };
}
