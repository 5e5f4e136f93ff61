export type { WriteBatch, WriteSeries } from "./batch";
export { MAX_INVALID_DETAILS } from "./batch";
export type {
  BucketSpan,
  CounterResetHint,
  Exemplar,
  HistogramSample,
  Label,
  MetricMetadata,
  MetricType,
  NativeHistogram,
} from "./model";
export { CUSTOM_BUCKETS_SCHEMA } from "./model";
export { InvalidSeriesError, RemoteWriteDecodeError, UnsupportedRemoteWriteError, formatLabels } from "./errors";
export { decodeWriteRequestV1 } from "./decode-v1";
export { decodeWriteRequestV2 } from "./decode-v2";
export { encodeWriteRequestV1, encodeWriteRequestV2, type SeriesToWrite, type WriteRequestToEncode } from "./encode";
export { histogramProblem } from "./histogram";
export {
  remoteWriteVersion,
  parseMediaType,
  writtenHeaders,
  RW1_PROTO,
  RW2_PROTO,
  type HeaderSource,
  type RemoteWriteVersion,
} from "./negotiate";
export { decodeRemoteWrite, encodeRemoteWrite, type RemoteWriteLimits } from "./request";
