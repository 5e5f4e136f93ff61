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
export { formatGoFloat } from "./format-number";
export { parseHistogramLiteral, parseHistogram, formatHistogram, parseNotationNumber } from "./notation";
export type { ParsedHistogramLiteral } from "./notation";
export { parseHistogramSequenceItem } from "./sequence";
export type { HistogramSequenceItem } from "./sequence";
export { almostEqual, histogramsEqual, histogramsMatch, spansMatch } from "./compare";
export type { HistogramMatchOptions } from "./compare";
