// Native histograms for PromQL: the model, arithmetic, estimates and the test notation. See
// docs/promql-histograms.md for what the engine calls when.
export * from "./types";
export * from "./errors";
export { exponentialBound, customLowerBound, customUpperBound, exponentialBucketIndex } from "./bounds";
export { positiveBuckets, negativeBuckets, zeroBucket, allBuckets, allBucketsReverse } from "./buckets";
export { compactHistogram } from "./compact";
export { reduceResolution } from "./resolution";
export {
  histogramAdd,
  histogramSub,
  histogramMul,
  histogramDiv,
  histogramNeg,
  combinedCounterResetHint,
  customBoundsMatch,
} from "./arithmetic";
export type { HistogramSumResult } from "./arithmetic";
export { parseHistogramLiteral, parseHistogram, formatHistogram, parseNotationNumber } from "./notation";
export type { ParsedHistogramLiteral } from "./notation";
export { parseHistogramSequenceItem } from "./sequence";
export type { HistogramSequenceItem } from "./sequence";
export { almostEqual, histogramsEqual, histogramsMatch, spansMatch } from "./compare";
export type { HistogramMatchOptions } from "./compare";
export { detectCounterReset } from "./reset";
export { histogramQuantile, histogramFraction } from "./quantile";
export type { HistogramQuantileResult, HistogramFractionResult, QuantileNaNNote } from "./quantile";
export { histogramAvg, histogramStdDev, histogramStdVar } from "./statistics";
export { trimHistogram } from "./trim";
export type { TrimDirection } from "./trim";
export { histogramRangeDelta, histogramInstantDelta } from "./rate";
export type { HistogramRateResult, HistogramRateNote } from "./rate";
export { convertClassicHistogramsToNhcb } from "./nhcb";
export type { ClassicHistogramSeries, NhcbSeries, NhcbLabel } from "./nhcb";
export { bucketQuantile, bucketFraction, SMALL_DELTA_TOLERANCE } from "./classic-quantile";
export type { ClassicBucket, BucketQuantileResult, MonotonicityFix } from "./classic-quantile";
export { histogramString } from "./histogram-string";
export { kahanSumInc } from "../kahan";
export { HistogramKahanSum, HistogramMean } from "./accumulate";
export type { AccumulateNotes } from "./accumulate";
export { storedCounterResetHints, resolvedCounterResetHint, SAMPLES_PER_CHUNK } from "./hints";
export { validateHistogram } from "./validate";
export { histogramFromDeltas, countsToDeltas, cumulativeBuckets } from "./convert";
export type { IntegerHistogramFields } from "./convert";
export { histogramInterpolate } from "./interpolate";
export { histogramExtendedDelta } from "./extended-rate";
export type { HistogramPoint } from "./extended-rate";
export type { InterpolationResult } from "./interpolate";
