import { histogramAdd, histogramMul, histogramSub } from "./arithmetic";
import { detectCounterReset } from "./reset";
import { HistogramSchemaMixError } from "./errors";
import type { FloatHistogram } from "./types";
import { usesCustomBuckets } from "./types";

/**
 * The histogram a `smoothed` selector sees at `fraction` (0..1) of the way from `previous` to `next`: previous +
 * (next − previous) · fraction. A counter (next is not a gauge) that reset in between is taken to restart from an
 * empty histogram, giving next · fraction. The result has the lower of the two resolutions and keeps next's hint.
 * @throws HistogramSchemaMixError when one is exponential and the other uses custom buckets.
 */
export function histogramInterpolate(previous: FloatHistogram, next: FloatHistogram, fraction: number): FloatHistogram {
  if (usesCustomBuckets(previous) !== usesCustomBuckets(next)) throw new HistogramSchemaMixError();
  const isCounter = next.counterResetHint !== "gauge";
  let out: FloatHistogram;
  if (isCounter && detectCounterReset(next, previous)) {
    out = histogramMul(next, fraction);
  } else {
    const step = histogramMul(histogramSub(next, previous).histogram, fraction);
    out = histogramAdd(previous, step).histogram;
  }
  out.counterResetHint = next.counterResetHint;
  return out;
}
