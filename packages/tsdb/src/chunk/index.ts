export { BitReader, BitWriter } from "./bitstream";
export { ChunkEncoding, MAX_ABS_TIMESTAMP, MAX_SAMPLES_PER_CHUNK, type Chunk, type ChunkIterator } from "./chunk";
export {
  chunkRangeEnd,
  computeChunkEndTime,
  decideChunkCut,
  decideHistogramChunkCut,
  DEFAULT_CHUNK_CUT_OPTIONS,
  MAX_BYTES_PER_XOR_CHUNK,
  MIN_SAMPLES_PER_HISTOGRAM_CHUNK,
  TARGET_BYTES_PER_HISTOGRAM_CHUNK,
  type ChunkCutOptions,
  type CutDecision,
  type HistogramCutDecision,
  type OpenChunkFacts,
} from "./cut";
export { ChunkAppendError, ChunkDecodeError } from "./errors";
export { floatFromBits, isStaleNaN, STALE_NAN } from "./float-bits";
export {
  appendFloatHistogramSample,
  FloatHistogramAppender,
  FloatHistogramChunk,
  FloatHistogramIterator,
  newFloatHistogramChunk,
} from "./float-histogram";
export {
  appendHistogramSample,
  HistogramAppender,
  HistogramChunk,
  HistogramIterator,
  newHistogramChunk,
} from "./histogram";
export { type AppendCheck } from "./histogram-appendable";
export { CounterResetHeader, counterResetHintAt, type HistogramLayout } from "./histogram-layout";
export {
  absoluteBuckets,
  bucketIndexes,
  countSpans,
  CUSTOM_BUCKETS_SCHEMA,
  deltaBuckets,
  histogramToFloat,
  isCustomBucketsSchema,
  type CounterResetHint,
  type FloatHistogram,
  type Histogram,
  type Span,
} from "./histogram-types";
export {
  decodeXor,
  decodeXorChunk,
  newXorChunk,
  xorChunkNumSamples,
  XorAppender,
  XorChunk,
  XorDecodeState,
  XorIterator,
  type DecodedSamples,
} from "./xor";
export { chunkFromBytes, type AnyChunk } from "./from-bytes";
