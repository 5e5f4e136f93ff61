import { compareLabelNames, type Label, type RelabelRule } from "../relabel";
import type { NativeHistogram } from "../remotewrite/model";
import { limitNativeHistogram } from "./native-histogram-limits";
import { checkLabelLimits, sampleLabels, type LabelLimits } from "./sample-labels";

/** One sample as an exposition parser yields it: labels including `__name__`, and the timestamp if one was exposed. */
export interface ExposedSample<V> {
  readonly labels: readonly Label[];
  readonly value: V;
  readonly timestamp?: number;
}

/** A sample to store. */
export interface StoredSample<V> {
  readonly labels: readonly Label[];
  readonly timestamp: number;
  readonly value: V;
}

/** A series that disappeared: the writer stores Prometheus's stale marker (the stale NaN) for it at `timestamp`. */
export interface StaleMarker {
  readonly labels: readonly Label[];
  readonly timestamp: number;
}

interface CachedSeries {
  readonly labels: readonly Label[] | null;
  readonly key: string;
}

/** What a scrape loop needs to know about its target and job. */
export interface ScrapeLoopOptions extends LabelLimits {
  /** The target's public labels (ScrapeTarget.publicLabels). */
  readonly targetLabels: readonly Label[];
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly trackTimestampsStaleness: boolean;
  readonly metricRelabelConfigs: readonly RelabelRule[];
  readonly sampleLimit: number;
  /** Also report scrape_timeout_seconds, scrape_sample_limit and scrape_body_size_bytes. */
  readonly extraScrapeMetrics: boolean;
  /** Milliseconds, for scrape_timeout_seconds. */
  readonly timeout: number;
  /** Native histograms with more buckets are coarsened, or fail the scrape (0 = no limit). */
  readonly nativeHistogramBucketLimit?: number;
  /** Native histograms finer than this growth factor are coarsened (0 = no limit). */
  readonly nativeHistogramMinBucketFactor?: number;
}

function isNativeHistogram(value: unknown): value is NativeHistogram {
  return typeof value === "object" && value !== null && "schema" in value && "positiveSpans" in value;
}

export interface ScrapeInput<V> {
  /** The scrape's timestamp (aligned to the schedule, see alignScrapeTimestamp). */
  readonly timestamp: number;
  /** Milliseconds the scrape took, for scrape_duration_seconds. */
  readonly duration: number;
  /** The parsed samples, or an error when the scrape itself failed (HTTP error, timeout, parse error, body too big). */
  readonly result: { readonly samples: Iterable<ExposedSample<V>> } | { readonly error: string };
  /** Uncompressed body size for scrape_body_size_bytes; -1 when the body size limit was hit. */
  readonly bodySize?: number;
}

export interface ScrapeOutcome<V> {
  /** Samples to store; empty when the scrape failed. */
  readonly samples: readonly StoredSample<V>[];
  /** Series seen in the previous successful scrape and not in this one (all of them when this scrape failed). */
  readonly staleMarkers: readonly StaleMarker[];
  /** `up`, `scrape_duration_seconds`, ... with the target's labels; always present. */
  readonly report: readonly StoredSample<number>[];
  /** Why the target is down, if it is. */
  readonly error: string | undefined;
  readonly samplesScraped: number;
  readonly samplesPostMetricRelabeling: number;
  readonly seriesAdded: number;
  /** Samples dropped because an earlier sample in the same scrape had the same labels. */
  readonly duplicateSamples: number;
}

export const REPORT_METRICS = [
  "up",
  "scrape_duration_seconds",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
] as const;
export const EXTRA_REPORT_METRICS = [
  "scrape_timeout_seconds",
  "scrape_sample_limit",
  "scrape_body_size_bytes",
] as const;

/** An unambiguous string identity of a label set (length-prefixed, so no separator can be forged). */
export function seriesKey(labels: readonly Label[]): string {
  let key = "";
  for (const label of labels) key += `${label.name.length}:${label.name}${label.value.length}:${label.value}`;
  return key;
}

/**
 * The bookkeeping of one target's scrape loop, without I/O: turns parsed samples into stored samples (target labels,
 * metric relabeling, limits, timestamps), remembers which series the previous scrape produced so that vanished ones
 * get stale markers, and produces the report series. Hold one per target; persist `previousSeries()` if the loop
 * must survive a restart.
 */
export class ScrapeLoopState {
  // Series whose disappearance gets a stale marker: those of the last scrape (emptied by a failed scrape).
  private staleCandidates = new Map<string, readonly Label[]>();
  // Series of the last successful scrape, for scrape_series_added (a failed scrape leaves it alone, as in Prometheus).
  private knownSeries = new Set<string>();
  private readonly reportLabels: (readonly Label[])[];
  // Exposed label set → stored labels (null: dropped by metric relabeling), for the series of the last successful
  // scrape. Target labels and rules are fixed for the life of this state, so a series seen again skips label
  // merging, relabeling and limit checks (Prometheus's scrape cache does the same with the raw series text).
  private relabelCache = new Map<string, CachedSeries>();

  constructor(
    private readonly options: ScrapeLoopOptions,
    previousSeries: readonly (readonly Label[])[] = [],
  ) {
    for (const labels of previousSeries) {
      const key = seriesKey(labels);
      this.staleCandidates.set(key, labels);
      this.knownSeries.add(key);
    }
    const names: string[] = [...REPORT_METRICS, ...(options.extraScrapeMetrics ? EXTRA_REPORT_METRICS : [])];
    this.reportLabels = names.map((name) => reportSeriesLabels(name, options.targetLabels));
  }

  /** The series that would be marked stale next; persist them to survive a restart. */
  previousSeries(): (readonly Label[])[] {
    return [...this.staleCandidates.values()];
  }

  /** Processes one scrape (successful or not). */
  append<V>(input: ScrapeInput<V>): ScrapeOutcome<V> {
    const { options } = this;
    let error = "error" in input.result ? input.result.error : undefined;
    const samples: StoredSample<V>[] = [];
    const current = new Map<string, readonly Label[]>();
    const seen = new Set<string>();
    let scraped = 0;
    let postRelabel = 0;
    let seriesAdded = 0;
    let duplicates = 0;

    const nextCache = new Map<string, CachedSeries>();
    if ("samples" in input.result) {
      let countOnly = false;
      for (const exposed of input.result.samples) {
        scraped++;
        // After a label error Prometheus stops appending; past the sample or bucket limit it keeps counting.
        if (error !== undefined && !countOnly) continue;
        const exposedKey = seriesKey(exposed.labels);
        let series = this.relabelCache.get(exposedKey) ?? nextCache.get(exposedKey);
        if (series === undefined) {
          const stored = sampleLabels(
            exposed.labels,
            options.targetLabels,
            options.honorLabels,
            options.metricRelabelConfigs,
          );
          if (stored !== null) {
            if (!stored.some((label) => label.name === "__name__")) {
              postRelabel++;
              error ??= "missing metric name (__name__ label)";
              continue;
            }
            const limitError = checkLabelLimits(stored, options);
            if (limitError) {
              postRelabel++;
              error ??= limitError;
              continue;
            }
          }
          series = { labels: stored, key: stored === null ? "" : seriesKey(stored) };
        }
        nextCache.set(exposedKey, series);
        const { labels, key } = series;
        if (labels === null) continue;
        postRelabel++;
        if (countOnly) continue;
        if (options.sampleLimit > 0 && postRelabel > options.sampleLimit) {
          error = "sample limit exceeded";
          countOnly = true;
          continue;
        }
        if (seen.has(key)) {
          duplicates++;
          continue;
        }
        seen.add(key);
        let value = exposed.value;
        if (isNativeHistogram(value)) {
          const limited = limitNativeHistogram(value, {
            nativeHistogramBucketLimit: options.nativeHistogramBucketLimit ?? 0,
            nativeHistogramMinBucketFactor: options.nativeHistogramMinBucketFactor ?? 0,
          });
          if ("error" in limited) {
            error = limited.error;
            countOnly = true; // Prometheus keeps counting after a bucket limit error too.
            continue;
          }
          value = limited as V;
        }
        const explicit = options.honorTimestamps ? exposed.timestamp : undefined;
        samples.push({ labels, timestamp: explicit ?? input.timestamp, value });
        if (!this.knownSeries.has(key)) seriesAdded++;
        // Series with their own timestamps are not tracked for staleness unless asked to.
        if (explicit === undefined || options.trackTimestampsStaleness) current.set(key, labels);
      }
    }

    if (error !== undefined) {
      // A failed scrape stores nothing and marks everything from the last scrape stale.
      const staleMarkers = this.markStale(new Map(), input.timestamp);
      return {
        samples: [],
        staleMarkers,
        report: this.report(input, 0, scraped, postRelabel, 0),
        error,
        samplesScraped: scraped,
        samplesPostMetricRelabeling: postRelabel,
        seriesAdded: 0,
        duplicateSamples: duplicates,
      };
    }
    const staleMarkers = this.markStale(current, input.timestamp);
    this.knownSeries = seen;
    this.relabelCache = nextCache;
    return {
      samples,
      staleMarkers,
      report: this.report(input, 1, scraped, postRelabel, seriesAdded),
      error: undefined,
      samplesScraped: scraped,
      samplesPostMetricRelabeling: postRelabel,
      seriesAdded,
      duplicateSamples: duplicates,
    };
  }

  /**
   * Stale markers for everything this loop wrote, report series included: for a target that went away or a loop
   * being stopped. The state is cleared.
   */
  stop(timestamp: number): StaleMarker[] {
    this.relabelCache.clear();
    const markers = this.markStale(new Map(), timestamp);
    for (const labels of this.reportLabels) markers.push({ labels, timestamp });
    this.knownSeries.clear();
    return markers;
  }

  private markStale(current: Map<string, readonly Label[]>, timestamp: number): StaleMarker[] {
    const markers: StaleMarker[] = [];
    for (const [key, labels] of this.staleCandidates) {
      if (!current.has(key)) markers.push({ labels, timestamp });
    }
    this.staleCandidates = current;
    return markers;
  }

  private report<V>(
    input: ScrapeInput<V>,
    up: number,
    scraped: number,
    postRelabel: number,
    seriesAdded: number,
  ): StoredSample<number>[] {
    const values = [up, input.duration / 1000, scraped, postRelabel, seriesAdded];
    if (this.options.extraScrapeMetrics) {
      values.push(this.options.timeout / 1000, this.options.sampleLimit, input.bodySize ?? 0);
    }
    return values.map((value, i) => ({ labels: this.reportLabels[i], timestamp: input.timestamp, value }));
  }
}

/** A report series' labels: the metric name and the target's labels (Prometheus's mutateReportSampleLabels). */
export function reportSeriesLabels(metric: string, targetLabels: readonly Label[]): Label[] {
  return [{ name: "__name__", value: metric }, ...targetLabels.filter((label) => label.name !== "__name__")].sort(
    compareLabelNames,
  );
}
