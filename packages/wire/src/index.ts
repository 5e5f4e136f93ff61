export { ProtobufDecodeError } from "./protobuf/errors";
export { ProtoReader } from "./protobuf/reader";
export { ProtoWriter } from "./protobuf/writer";
export { Utf8Interner } from "./protobuf/utf8-interner";
export { WireType } from "./protobuf/wire-type";
export {
  snappyDecode,
  snappyDecodedLength,
  snappyEncode,
  maxEncodedLength,
  DEFAULT_MAX_DECODED_BYTES,
  SnappyCorruptError,
  SnappyTooLargeError,
  type SnappyDecodeOptions,
} from "./snappy/index";
export { crc32c, crc32cUpdate } from "./crc32c";
export {
  ReadResponseType,
  type BucketSpan,
  type ChunkedReadResponse,
  type ChunkedSeries,
  type CounterResetHint,
  type Label,
  type LabelMatcher,
  type QueryResult,
  type ReadHints,
  type ReadQuery,
  type ReadRequest,
  type ReadResponse,
  type RemoteChunk,
  type RemoteHistogram,
  type RemoteTimeSeries,
} from "./prompb/types";
export { decodeReadRequest, encodeReadRequest } from "./prompb/read-request";
export { decodeReadResponse, encodeReadResponse } from "./prompb/read-response";
export {
  CHUNKED_READ_CONTENT_TYPE,
  ChunkedFrameError,
  decodeChunkedReadResponse,
  encodeChunkedReadResponse,
  frameChunkedReadResponse,
  readChunkedFrames,
} from "./prompb/chunked-read-response";
