import { DEFAULT_MAX_DECODED_BYTES, snappyDecode } from "../snappy/decode";
import type { WriteBatch } from "./batch";
import { decodeWriteRequestV1 } from "./decode-v1";
import { decodeWriteRequestV2 } from "./decode-v2";
import { remoteWriteVersion, type HeaderSource } from "./negotiate";

export interface RemoteWriteLimits {
  /** Largest decompressed body accepted (checked before decompressing); default 64 MiB. */
  maxDecodedBytes?: number;
}

/**
 * Everything between an HTTP remote-write request and a decoded batch: version negotiation from the headers
 * (415 on anything else), Snappy decompression with a size bound (413 / 400), protobuf decoding (400) and series
 * validation (invalid series are listed in `batch.invalid`, the rest is ready to write).
 */
export function decodeRemoteWrite(body: Uint8Array, headers: HeaderSource, limits: RemoteWriteLimits = {}): WriteBatch {
  const version = remoteWriteVersion(headers);
  const raw = snappyDecode(body, { maxDecodedBytes: limits.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES });
  return version === "2.0" ? decodeWriteRequestV2(raw) : decodeWriteRequestV1(raw);
}
