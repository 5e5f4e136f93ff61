import type { BucketSpan, NativeHistogram } from "../remotewrite/model";

/** Custom-buckets schema (NHCB): bucket bounds are listed in `customValues`. */
export const CUSTOM_BUCKETS_SCHEMA = -53;

/** A classic histogram that cannot become an NHCB (Prometheus then stores neither). */
export class NhcbConversionError extends Error {
  override readonly name = "NhcbConversionError";
}

/**
 * Collects one classic histogram's `_bucket`, `_count` and `_sum` values and converts them into a native histogram
 * with custom buckets exactly as Prometheus's convertnhcb does: buckets must be cumulative; a missing `+Inf` bucket
 * is taken from `_count`; a missing `_count` from the highest bucket; integer counts give an integer histogram
 * (compacted keeping runs of up to two empty buckets), otherwise a float one (no empty buckets kept).
 */
export class ClassicHistogramCollector {
  private readonly buckets: { le: number; count: number }[] = [];
  private count = 0;
  private hasCount = false;
  private sum = 0;
  private error: string | undefined;

  addBucket(le: number, count: number): void {
    if (this.error !== undefined) return;
    if (Number.isNaN(le)) {
      this.error = "invalid le";
      return;
    }
    if (count < 0) {
      this.error = `bucket count must be non-negative: le=${le}, count=${count}`;
      return;
    }
    const last = this.buckets.at(-1);
    if (!last || last.le < le) {
      if (last && count < last.count) {
        this.error = `count is not cumulative: ${count} < ${last.count}`;
        return;
      }
      this.buckets.push({ le, count });
      return;
    }
    if (last.le === le) return; // a duplicate sample
    const i = this.buckets.findIndex((bucket) => bucket.le >= le);
    if (this.buckets[i].le === le) return;
    if (i > 0 && count < this.buckets[i - 1].count) {
      this.error = `count is not cumulative: ${count} < ${this.buckets[i - 1].count}`;
      return;
    }
    if (count > this.buckets[i].count) {
      this.error = `count is not cumulative: ${count} > ${this.buckets[i].count}`;
      return;
    }
    this.buckets.splice(i, 0, { le, count });
  }

  setCount(count: number): void {
    if (this.error !== undefined) return;
    if (count < 0) {
      this.error = `count must be non-negative: count=${count}`;
      return;
    }
    this.count = count;
    this.hasCount = true;
  }

  setSum(sum: number): void {
    this.sum = sum;
  }

  convert(gauge: boolean): NativeHistogram {
    if (this.error !== undefined) throw new NhcbConversionError(this.error);
    const buckets = [...this.buckets];
    let count = this.count;
    if (!this.hasCount && buckets.length > 0) count = buckets[buckets.length - 1].count;
    if (buckets.length === 0 || buckets[buckets.length - 1].le !== Infinity) buckets.push({ le: Infinity, count });
    const top = buckets[buckets.length - 1].count;
    if (count !== top) throw new NhcbConversionError(`count mismatch: count=${count} != le=+Inf count=${top}`);
    const isFloat = !buckets.every((bucket) => Number.isInteger(bucket.count)) || !Number.isInteger(count);
    const absolute: number[] = [];
    let previous = 0;
    for (const bucket of buckets) {
      absolute.push(bucket.count - previous);
      previous = bucket.count;
    }
    const { spans, counts } = compactSingleSpan(absolute, isFloat ? 0 : 2);
    return {
      isFloat,
      schema: CUSTOM_BUCKETS_SCHEMA,
      zeroThreshold: 0,
      zeroCount: 0,
      count,
      sum: this.sum,
      positiveSpans: spans,
      positiveBuckets: counts,
      negativeSpans: [],
      negativeBuckets: [],
      counterResetHint: gauge ? "gauge" : "unknown",
      customValues: buckets.slice(0, -1).map((bucket) => bucket.le),
    };
  }
}

/**
 * Prometheus's Histogram.Compact(maxEmptyBuckets) for buckets that start as one span at index 0: empty buckets at
 * the ends go, and a run of empty buckets inside is kept only when at most `maxEmptyBuckets` long (otherwise the
 * span is split there).
 */
export function compactSingleSpan(
  counts: readonly number[],
  maxEmptyBuckets: number,
): { spans: BucketSpan[]; counts: number[] } {
  const spans: BucketSpan[] = [];
  const kept: number[] = [];
  let gap = 0;
  for (const count of counts) {
    if (count === 0) {
      gap++;
      continue;
    }
    if (spans.length === 0) {
      spans.push({ offset: gap, length: 1 });
    } else if (gap === 0) {
      spans[spans.length - 1].length++;
    } else if (gap <= maxEmptyBuckets) {
      spans[spans.length - 1].length += gap + 1;
      for (let i = 0; i < gap; i++) kept.push(0);
    } else {
      spans.push({ offset: gap, length: 1 });
    }
    kept.push(count);
    gap = 0;
  }
  return { spans, counts: kept };
}

/** A bucket bound as exposed (`0.5`, `1e3`, `+Inf`). */
export function parseLe(text: string): number {
  if (text === "+Inf" || text === "Inf" || text === "inf" || text === "+inf") return Infinity;
  if (text === "-Inf" || text === "-inf") return -Infinity;
  return text.trim() === "" ? Number.NaN : Number(text);
}
