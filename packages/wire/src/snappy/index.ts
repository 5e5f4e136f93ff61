export { snappyDecode, snappyDecodedLength, DEFAULT_MAX_DECODED_BYTES, type SnappyDecodeOptions } from "./decode";
export { snappyEncode, maxEncodedLength } from "./encode";
export { SnappyCorruptError, SnappyTooLargeError } from "./errors";
