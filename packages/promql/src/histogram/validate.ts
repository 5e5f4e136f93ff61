import { allBuckets } from "./buckets";
import { HistogramValidationError } from "./errors";
import type { FloatHistogram, HistogramSpan } from "./types";
import { isCustomBucketsSchema, isExponentialSchema } from "./types";

/**
 * Throws HistogramValidationError unless the histogram could be stored or sent: a valid schema, spans that describe
 * exactly the buckets given (only the first offset may be negative), no negative count in any bucket or in total, and
 * for custom buckets strictly increasing finite bounds, no zero bucket and no negative side (for exponential schemas,
 * no custom bounds). PromQL's intermediate results may break these rules (negative histograms); a recording rule whose
 * result does is an error. The bucket total is not compared with the count (NaN observations, rounding).
 */
export function validateHistogram(h: FloatHistogram): void {
  if (isCustomBucketsSchema(h.schema)) {
    const cv = h.customValues;
    for (let i = 0; i < cv.length; i++) {
      if (Number.isNaN(cv[i]) || cv[i] === Infinity) {
        throw new HistogramValidationError(`custom buckets: bound ${cv[i]} is not allowed`);
      }
      if (i > 0 && cv[i] <= cv[i - 1]) {
        throw new HistogramValidationError(
          `custom buckets: bounds must be strictly increasing, ${cv[i - 1]} ≥ ${cv[i]}`,
        );
      }
    }
    checkSpans("custom buckets", h.positiveSpans, h.positiveBuckets.length);
    const last = lastIndex(h.positiveSpans);
    if (last > cv.length) {
      throw new HistogramValidationError(
        `custom buckets: bucket index ${last} is beyond the ${cv.length} bounds (+Inf is ${cv.length})`,
      );
    }
    if (h.zeroCount !== 0 || h.zeroThreshold !== 0) {
      throw new HistogramValidationError("custom buckets cannot have a zero bucket");
    }
    if (h.negativeSpans.length > 0 || h.negativeBuckets.length > 0) {
      throw new HistogramValidationError("custom buckets cannot have negative buckets");
    }
  } else if (isExponentialSchema(h.schema)) {
    checkSpans("positive side", h.positiveSpans, h.positiveBuckets.length);
    checkSpans("negative side", h.negativeSpans, h.negativeBuckets.length);
    if (h.zeroCount < 0) throw new HistogramValidationError(`zero bucket has observation count of ${h.zeroCount}`);
    if (h.customValues.length > 0) throw new HistogramValidationError("exponential schemas cannot have custom bounds");
  } else {
    throw new HistogramValidationError(`invalid histogram schema ${h.schema}`);
  }
  if (h.count < 0) throw new HistogramValidationError(`observation count is ${h.count}`);
  for (const b of allBuckets(h)) {
    if (b.count < 0) throw new HistogramValidationError(`bucket ${b.index} has observation count of ${b.count}`);
  }
}

function checkSpans(side: string, spans: readonly HistogramSpan[], buckets: number): void {
  let total = 0;
  spans.forEach((s, i) => {
    if (i > 0 && s.offset < 0) throw new HistogramValidationError(`${side}: span ${i} has negative offset ${s.offset}`);
    if (!Number.isInteger(s.offset) || !Number.isInteger(s.length) || s.length < 0) {
      throw new HistogramValidationError(`${side}: span ${i} is malformed`);
    }
    total += s.length;
  });
  if (total !== buckets)
    throw new HistogramValidationError(`${side}: spans need ${total} buckets, have ${buckets} buckets`);
}

function lastIndex(spans: readonly HistogramSpan[]): number {
  let index = -1;
  for (const s of spans) index += s.offset + s.length;
  return index;
}
