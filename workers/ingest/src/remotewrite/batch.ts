import { InvalidSeriesError } from "./errors";
import type { Exemplar, HistogramSample, Label, MetricMetadata } from "./model";

/**
 * A decoded remote-write request, the same shape for 1.0 and 2.0. Float samples are columns shared by all
 * series (series after series, each series' samples in request order); typed arrays keep the exact bits of
 * stale-marker NaNs and cost one allocation per request rather than two per series.
 */
export interface WriteBatch {
  version: "1.0" | "2.0";
  /** The valid series, in request order. A series may appear more than once (2.0 allows it). */
  series: WriteSeries[];
  timestamps: Float64Array;
  values: Float64Array;
  /** Start ("created") timestamps per float sample in ms, 0 = unset; only 2.0 carries them, null for 1.0. */
  startTimestamps: Float64Array | null;
  /** Metric metadata: 1.0's metadata list, or 2.0's per-series metadata keyed by the series' metric name. */
  metadata: MetricMetadata[];
  /** What the valid series carry; the numbers for the X-Prometheus-Remote-Write-*-Written headers. */
  counts: { samples: number; histograms: number; exemplars: number };
  /** Series rejected by validation, each with its reason and labels (the first {@link MAX_INVALID_DETAILS}). */
  invalid: InvalidSeriesError[];
  /** Rejected series beyond those listed in `invalid`, counted only. */
  invalidOmitted: number;
  /** Everything rejected: series, and the samples, histograms and exemplars they carried. */
  rejected: { series: number; samples: number; histograms: number; exemplars: number };
}

/**
 * At most this many rejected series are described one by one: a request of a million broken series must not cost a
 * million error objects (each captures a stack) nor a response body naming them all.
 */
export const MAX_INVALID_DETAILS = 100;

/** Collects the rejected series of one request. */
export class RejectedSeries {
  readonly errors: InvalidSeriesError[] = [];
  omitted = 0;
  readonly totals = { series: 0, samples: 0, histograms: 0, exemplars: 0 };

  add(
    reason: string,
    labels: readonly Label[],
    rejected: { samples: number; histograms: number; exemplars: number },
  ): void {
    this.totals.series++;
    this.totals.samples += rejected.samples;
    this.totals.histograms += rejected.histograms;
    this.totals.exemplars += rejected.exemplars;
    if (this.errors.length < MAX_INVALID_DETAILS) this.errors.push(new InvalidSeriesError(reason, labels, rejected));
    else this.omitted++;
  }
}

export interface WriteSeries {
  /** Sorted by name, unique names, no empty values, includes `__name__`. */
  labels: readonly Label[];
  /** This series' float samples are `[sampleStart, sampleStart + sampleCount)` of the batch's columns. */
  sampleStart: number;
  sampleCount: number;
  histograms: readonly HistogramSample[];
  exemplars: readonly Exemplar[];
}

const NO_HISTOGRAMS: readonly HistogramSample[] = Object.freeze([]);
const NO_EXEMPLARS: readonly Exemplar[] = Object.freeze([]);
export { NO_HISTOGRAMS, NO_EXEMPLARS };

/**
 * Float-sample columns that grow by doubling. Values are copied as raw bytes from the wire so that NaN payloads
 * (the stale marker) survive exactly.
 */
export class SampleColumns {
  length = 0;
  timestamps: Float64Array;
  values: Float64Array;
  valueBytes: Uint8Array;
  startTimestamps: Float64Array | null;

  constructor(initialCapacity: number, withStartTimestamps: boolean) {
    const capacity = Math.max(16, initialCapacity);
    this.timestamps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.valueBytes = new Uint8Array(this.values.buffer);
    this.startTimestamps = withStartTimestamps ? new Float64Array(capacity) : null;
  }

  /** Makes room for one more sample and returns its index. */
  push(): number {
    if (this.length === this.timestamps.length) this.grow();
    return this.length++;
  }

  /** Trims the columns to the samples written (views, no copy). */
  finish(): { timestamps: Float64Array; values: Float64Array; startTimestamps: Float64Array | null } {
    return {
      timestamps: this.timestamps.subarray(0, this.length),
      values: this.values.subarray(0, this.length),
      startTimestamps: this.startTimestamps ? this.startTimestamps.subarray(0, this.length) : null,
    };
  }

  /** Drops the samples from index `to` on: those of a rejected series, always the last ones written. */
  truncate(to: number): void {
    this.length = to;
  }

  private grow(): void {
    const capacity = this.timestamps.length * 2;
    const timestamps = new Float64Array(capacity);
    timestamps.set(this.timestamps);
    const values = new Float64Array(capacity);
    // Copy bytes, not numbers: a numeric copy may canonicalise NaN payloads.
    new Uint8Array(values.buffer).set(this.valueBytes);
    this.timestamps = timestamps;
    this.values = values;
    this.valueBytes = new Uint8Array(values.buffer);
    if (this.startTimestamps) {
      const starts = new Float64Array(capacity);
      starts.set(this.startTimestamps);
      this.startTimestamps = starts;
    }
  }
}
