import { compactHistogram } from "./compact";
import { NhcbConversionError } from "./errors";
import { formatGoFloat } from "../format";
import type { FloatHistogram } from "./types";
import { CUSTOM_BUCKETS_SCHEMA, makeHistogram } from "./types";

/** A label pair (the shared `Label` shape). */
export interface NhcbLabel {
  readonly name: string;
  readonly value: string;
}

/** One float series of a classic histogram (`X_bucket{le=…}`, `X_count` or `X_sum`). */
export interface ClassicHistogramSeries {
  labels: readonly NhcbLabel[];
  samples: readonly { t: number; value: number }[];
}

/** The custom-buckets histogram series built from the classic series of one histogram. */
export interface NhcbSeries {
  /** The classic labels with `__name__` set to the base name X and `le` removed, sorted by name. */
  labels: NhcbLabel[];
  /** Ascending by timestamp. */
  samples: { t: number; histogram: FloatHistogram }[];
}

/**
 * The conversion `load_with_nhcb` performs after loading the float series of a block: series named X_bucket (with a
 * parsable, non-NaN `le`), X_count and X_sum are grouped by their labels without `le` and with the name X, and by
 * timestamp; each group becomes one custom-buckets histogram. Other series are ignored.
 *
 * Per timestamp: buckets are taken in `le` order (a repeated `le` is ignored), cumulative counts become per-bucket
 * counts, a missing X_count defaults to the highest bucket's count, a missing +Inf bucket is added with the count,
 * the finite `le` values become the custom values, the sum comes from X_sum (0 without it). Counts that are negative
 * or not cumulative, or a count differing from the +Inf bucket, fail with NhcbConversionError. Histograms whose
 * counts are all integers get Prometheus's integer-histogram bucket layout (gaps of up to two empty buckets kept),
 * others the compact layout.
 */
export function convertClassicHistogramsToNhcb(series: readonly ClassicHistogramSeries[]): NhcbSeries[] {
  const groups = new Map<string, { labels: NhcbLabel[]; byTime: Map<number, TempHistogram> }>();
  for (const s of series) {
    const name = s.labels.find((l) => l.name === "__name__")?.value ?? "";
    const kind = suffixOf(name);
    if (!kind) continue;
    let le = NaN;
    if (kind.suffix === "bucket") {
      const leLabel = s.labels.find((l) => l.name === "le");
      if (!leLabel) throw new NhcbConversionError(`expected bucket label "le" in series ${name}`);
      le = parseGoFloat(leLabel.value);
      if (Number.isNaN(le)) continue;
    }
    const labels = s.labels
      .filter((l) => l.name !== "le" && l.name !== "__name__")
      .concat([{ name: "__name__", value: kind.base }])
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const key = labels.map((l) => `${l.name}\xff${l.value}`).join("\xfe");
    let group = groups.get(key);
    if (!group) {
      group = { labels, byTime: new Map() };
      groups.set(key, group);
    }
    for (const { t, value } of s.samples) {
      let temp = group.byTime.get(t);
      if (!temp) {
        temp = new TempHistogram();
        group.byTime.set(t, temp);
      }
      if (kind.suffix === "bucket") temp.setBucketCount(le, value);
      else if (kind.suffix === "count") temp.setCount(value);
      else temp.setSum(value);
    }
  }
  const out: NhcbSeries[] = [];
  for (const group of groups.values()) {
    const samples = [...group.byTime.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, temp]) => ({ t, histogram: temp.convert() }));
    out.push({ labels: group.labels, samples });
  }
  return out;
}

function suffixOf(name: string): { suffix: "bucket" | "count" | "sum"; base: string } | undefined {
  for (const suffix of ["bucket", "sum", "count"] as const) {
    if (name.endsWith("_" + suffix)) return { suffix, base: name.slice(0, -suffix.length - 1) };
  }
  return undefined;
}

/** strconv.ParseFloat's accepted forms for `le` values (NaN when unparsable). */
function parseGoFloat(text: string): number {
  const t = text.trim() === text ? text : "";
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)(e[+-]?\d(_?\d)*)?$/i.test(t)) return NaN;
  return Number(t.replace(/_/g, ""));
}

/** The classic samples of one histogram at one timestamp, collected in any order. */
class TempHistogram {
  private readonly buckets: { le: number; count: number }[] = [];
  private count = 0;
  private hasCount = false;
  private sum = 0;
  private error: NhcbConversionError | undefined;

  setBucketCount(le: number, count: number): void {
    if (this.error) return;
    if (count < 0) {
      this.error = new NhcbConversionError(
        `bucket count must be non-negative: le=${formatGoFloat(le)}, count=${formatGoFloat(count)}`,
      );
      return;
    }
    let i = this.buckets.findIndex((b) => b.le >= le);
    if (i < 0) i = this.buckets.length;
    if (i < this.buckets.length && this.buckets[i].le === le) return; // a repeated le: ignored
    if (i > 0 && count < this.buckets[i - 1].count) {
      this.error = notCumulative(count, "<", this.buckets[i - 1].count);
      return;
    }
    if (i < this.buckets.length && count > this.buckets[i].count) {
      this.error = notCumulative(count, ">", this.buckets[i].count);
      return;
    }
    this.buckets.splice(i, 0, { le, count });
  }

  setCount(count: number): void {
    if (this.error) return;
    if (count < 0) {
      this.error = new NhcbConversionError(`count must be non-negative: count=${formatGoFloat(count)}`);
      return;
    }
    this.count = count;
    this.hasCount = true;
  }

  setSum(sum: number): void {
    if (!this.error) this.sum = sum;
  }

  convert(): FloatHistogram {
    if (this.error) throw this.error;
    const buckets = [...this.buckets];
    let count = this.count;
    if (!this.hasCount && buckets.length > 0) count = buckets[buckets.length - 1].count;
    if (buckets.length === 0 || buckets[buckets.length - 1].le !== Infinity) buckets.push({ le: Infinity, count });
    const last = buckets[buckets.length - 1];
    if (count !== last.count) {
      throw new NhcbConversionError(
        `count mismatch: count=${formatGoFloat(count)} != le=${formatGoFloat(last.le)} count=${formatGoFloat(last.count)}`,
      );
    }
    const counts: number[] = [];
    let previous = 0;
    for (const b of buckets) {
      counts.push(b.count - previous);
      previous = b.count;
    }
    const integral = Number.isInteger(count) && buckets.every((b) => Number.isInteger(b.count));
    const h = makeHistogram({
      schema: CUSTOM_BUCKETS_SCHEMA,
      count,
      sum: this.sum,
      positiveSpans: [{ offset: 0, length: counts.length }],
      positiveBuckets: counts,
      customValues: buckets.slice(0, -1).map((b) => b.le),
    });
    return compactHistogram(h, integral ? 2 : 0);
  }
}

function notCumulative(count: number, op: string, other: number): NhcbConversionError {
  return new NhcbConversionError(`count is not cumulative: ${formatGoFloat(count)} ${op} ${formatGoFloat(other)}`);
}
