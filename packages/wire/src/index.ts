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
