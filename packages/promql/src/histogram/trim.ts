import { exponentialBound } from "./bounds";
import { spanBuckets } from "./buckets";
import { compactHistogram } from "./compact";
import type { FloatHistogram } from "./types";
import { copyHistogram, usesCustomBuckets } from "./types";

/**
 * Which side a trim operator keeps: "upper" is `h </ x` (trim upper: keep observations ≤ x), "lower" is `h >/ x`
 * (trim lower: keep observations ≥ x).
 */
export type TrimDirection = "upper" | "lower";

type BucketKind =
  "zero" | "exponential" | "exponentialOverflow" | "custom" | "customFirst" | "customOverflow" | "customOnly";

interface TrimBucket {
  kind: BucketKind;
  lower: number;
  upper: number;
  count: number;
  /** Writes the kept count back. */
  set: (count: number) => void;
}

/**
 * The histogram with the observations beyond `cutoff` removed (PromQL's `</` and `>/`). Buckets entirely on the kept
 * side stay, buckets entirely beyond go; a bucket the cutoff falls into keeps the interpolated share: exponentially
 * in exponential buckets, linearly in the zero bucket (which holds only positive or only negative values when only
 * that side has populated buckets) and in custom buckets. Custom buckets with an infinite end hold observations of
 * that infinity, except that a lowest bucket with a positive upper bound is taken to start at 0 (for trim-upper, and
 * for trim-lower at cutoffs ≥ 0), and a single (-Inf, +Inf] bucket goes at any finite cutoff. If anything was removed,
 * count becomes the total of the remaining buckets and the sum is re-estimated from them (each at a representative
 * value, see the spec); otherwise both are kept. The counter-reset hint is kept.
 */
export function trimHistogram(h: FloatHistogram, direction: TrimDirection, cutoff: number): FloatHistogram {
  const out = copyHistogram(h);
  if (Number.isNaN(cutoff)) return out;
  const buckets = trimBuckets(out);
  let removed = 0;
  let remaining = 0;
  let sum = 0;
  for (const b of buckets) {
    if (b.count === 0) continue;
    const { fraction, lower, upper } = keptPart(b, direction, cutoff);
    const kept = b.count * fraction;
    removed += b.count - kept;
    remaining += kept;
    b.set(kept);
    if (kept !== 0) sum += kept * representative(b.kind, lower, upper);
  }
  if (removed === 0) return out;
  out.count = remaining;
  out.sum = sum;
  return compactHistogram(out, 0);
}

function trimBuckets(h: FloatHistogram): TrimBucket[] {
  const out: TrimBucket[] = [];
  if (usesCustomBuckets(h)) {
    const cv = h.customValues;
    let k = 0;
    for (const { index, count } of spanBuckets(h.positiveSpans, h.positiveBuckets)) {
      const at = k++;
      const lower = index === 0 ? -Infinity : cv[Math.min(index, cv.length) - 1];
      const upper = index < cv.length ? cv[index] : Infinity;
      const kind: BucketKind =
        lower === -Infinity && upper === Infinity
          ? "customOnly"
          : lower === -Infinity
            ? "customFirst"
            : upper === Infinity
              ? "customOverflow"
              : "custom";
      out.push({ kind, lower, upper, count, set: (c) => (h.positiveBuckets[at] = c) });
    }
    return out;
  }
  const threshold = h.zeroThreshold;
  let k = 0;
  for (const { index, count } of spanBuckets(h.negativeSpans, h.negativeBuckets)) {
    const at = k++;
    const upper = -Math.max(exponentialBound(index - 1, h.schema), threshold);
    const lower = -exponentialBound(index, h.schema);
    const kind = lower === -Infinity ? "exponentialOverflow" : "exponential";
    out.push({ kind, lower, upper, count, set: (c) => (h.negativeBuckets[at] = c) });
  }
  const hasNeg = h.negativeBuckets.some((c) => c !== 0);
  const hasPos = h.positiveBuckets.some((c) => c !== 0);
  out.push({
    kind: "zero",
    lower: !hasNeg && hasPos ? 0 : -threshold,
    upper: !hasPos && hasNeg ? 0 : threshold,
    count: h.zeroCount,
    set: (c) => (h.zeroCount = c),
  });
  k = 0;
  for (const { index, count } of spanBuckets(h.positiveSpans, h.positiveBuckets)) {
    const at = k++;
    const lower = Math.max(exponentialBound(index - 1, h.schema), threshold);
    const upper = exponentialBound(index, h.schema);
    const kind = upper === Infinity ? "exponentialOverflow" : "exponential";
    out.push({ kind, lower, upper, count, set: (c) => (h.positiveBuckets[at] = c) });
  }
  return out;
}

/** The share of the bucket that stays and the boundaries of the part that stays. */
function keptPart(
  b: TrimBucket,
  direction: TrimDirection,
  c: number,
): { fraction: number; lower: number; upper: number } {
  const upper = b.upper;
  let lower = b.lower;
  if (b.kind === "customFirst" && upper > 0 && (direction === "upper" || c >= 0)) lower = 0;
  const all = { fraction: 1, lower, upper };
  const none = { fraction: 0, lower, upper };
  if (direction === "upper") {
    if (upper <= c) return all;
    if (lower >= c) return none;
  } else {
    if (lower >= c) return all;
    if (upper <= c) return none;
  }
  // The cutoff is inside the bucket.
  const keepBelow = direction === "upper";
  const infinite = (): { fraction: number; lower: number; upper: number } =>
    // Observations at an infinite end are that infinity: they stay on its side.
    (lower === -Infinity) === keepBelow ? { fraction: 1, lower, upper } : none;
  let below: number;
  switch (b.kind) {
    case "customOnly":
      return none;
    case "customFirst":
      if (lower === -Infinity) return keepBelow ? { fraction: 1, lower, upper: c } : none;
      below = (c - lower) / (upper - lower);
      break;
    case "customOverflow":
      return keepBelow ? none : { fraction: 1, lower: c, upper };
    case "exponentialOverflow":
      return infinite();
    case "exponential":
      below =
        lower > 0
          ? (Math.log2(c) - Math.log2(lower)) / (Math.log2(upper) - Math.log2(lower))
          : (Math.log2(-lower) - Math.log2(-c)) / (Math.log2(-lower) - Math.log2(-upper));
      break;
    default:
      below = (c - lower) / (upper - lower);
  }
  return keepBelow ? { fraction: below, lower, upper: c } : { fraction: 1 - below, lower: c, upper };
}

/** The value every kept observation of a bucket is assumed to have when the sum is re-estimated. */
function representative(kind: BucketKind, lower: number, upper: number): number {
  switch (kind) {
    case "exponential": {
      const g = Math.sqrt(lower * upper);
      return upper <= 0 ? -g : g;
    }
    case "exponentialOverflow":
      return lower === -Infinity ? -Infinity : Infinity;
    case "customFirst":
      return lower === -Infinity ? upper : (lower + upper) / 2;
    case "customOverflow":
      return lower;
    case "customOnly":
      return 0;
    default:
      return (lower + upper) / 2;
  }
}
