import { negativeBuckets, positiveBuckets } from "./buckets";
import { compactHistogram } from "./compact";
import type { FloatHistogram } from "./types";

/**
 * What the zero count would be if the zero threshold were widened to `largerThreshold` (≥ the current one). A
 * threshold that falls inside a populated bucket is moved to that bucket's far boundary (taking the whole bucket), so
 * the threshold actually used is returned too.
 */
export function zeroCountForLargerThreshold(
  h: FloatHistogram,
  largerThreshold: number,
): { count: number; threshold: number } {
  if (largerThreshold === h.zeroThreshold) return { count: h.zeroCount, threshold: largerThreshold };
  let threshold = largerThreshold;
  const pos = positiveBuckets(h);
  const neg = negativeBuckets(h);
  for (;;) {
    let count = h.zeroCount;
    for (const b of pos) {
      if (b.lower >= threshold) break;
      count += b.count;
      if (b.upper > threshold) {
        if (b.count !== 0) threshold = b.upper;
        break;
      }
    }
    let restart = false;
    for (const b of neg) {
      if (b.upper <= -threshold) break;
      count += b.count;
      if (b.lower < -threshold) {
        if (b.count !== 0) {
          // The positive side was judged against the old threshold: start over with the new one.
          threshold = -b.lower;
          restart = true;
        }
        break;
      }
    }
    if (!restart) return { count, threshold };
  }
}

/**
 * A copy whose zero bucket is widened to at least `largerThreshold` (further if that falls inside a populated bucket),
 * with the buckets now inside it folded into the zero count.
 */
export function widenZeroBucket(h: FloatHistogram, largerThreshold: number): FloatHistogram {
  const { count, threshold } = zeroCountForLargerThreshold(h, largerThreshold);
  const out = compactHistogram(h, 0);
  out.zeroCount = count;
  out.zeroThreshold = threshold;
  const pos = positiveBuckets(out);
  let k = 0;
  for (const b of pos) {
    if (b.lower >= threshold) break;
    out.positiveBuckets[k++] = 0;
  }
  const neg = negativeBuckets(out);
  k = 0;
  for (const b of neg) {
    if (b.upper <= -threshold) break;
    out.negativeBuckets[k++] = 0;
  }
  return compactHistogram(out, 0);
}
