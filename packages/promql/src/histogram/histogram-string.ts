import { formatBucket, negativeBuckets, positiveBuckets, zeroBucket } from "./buckets";
import { formatGoFloat } from "../format";
import type { FloatHistogram } from "./types";
import { usesCustomBuckets } from "./types";

/**
 * The text form of Prometheus's FloatHistogram.String, which count_values uses as the label value and templates
 * print: `{count:4, sum:5, [-2,-1):1, [-0.001,0.001]:1, (0.5,1]:1, (1,2]:1}`, populated buckets only, in ascending
 * order of value.
 */
export function histogramString(h: FloatHistogram): string {
  const parts = [`{count:${formatGoFloat(h.count)}`, `sum:${formatGoFloat(h.sum)}`];
  const neg = negativeBuckets(h).filter((b) => b.count !== 0);
  for (let i = neg.length - 1; i >= 0; i--) parts.push(formatBucket(neg[i], formatGoFloat));
  if (h.zeroCount !== 0 && !usesCustomBuckets(h)) parts.push(formatBucket(zeroBucket(h), formatGoFloat));
  for (const b of positiveBuckets(h)) if (b.count !== 0) parts.push(formatBucket(b, formatGoFloat));
  return parts.join(", ") + "}";
}
