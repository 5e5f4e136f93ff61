import { DEFAULT_MAX_DECODED_BYTES, snappyDecode, snappyEncode } from "@edgeprom/wire";
import type { WriteBatch } from "./batch";
import { decodeWriteRequestV1 } from "./decode-v1";
import { decodeWriteRequestV2 } from "./decode-v2";
import { encodeWriteRequestV1, encodeWriteRequestV2, type WriteRequestToEncode } from "./encode";
import { remoteWriteVersion, RW2_PROTO, type HeaderSource, type RemoteWriteVersion } from "./negotiate";

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

/**
 * A remote-write request as a Prometheus sender makes it: the Snappy-compressed protobuf body and the headers the
 * spec requires (Content-Encoding, Content-Type, X-Prometheus-Remote-Write-Version). For tests and tools.
 */
export function encodeRemoteWrite(
  request: WriteRequestToEncode,
  version: RemoteWriteVersion = "2.0",
): { body: Uint8Array; headers: Record<string, string> } {
  const v2 = version === "2.0";
  return {
    body: snappyEncode(v2 ? encodeWriteRequestV2(request) : encodeWriteRequestV1(request)),
    headers: {
      "Content-Encoding": "snappy",
      "Content-Type": v2 ? `application/x-protobuf;proto=${RW2_PROTO}` : "application/x-protobuf",
      "X-Prometheus-Remote-Write-Version": v2 ? "2.0.0" : "0.1.0",
      "User-Agent": "edgeprom",
    },
  };
}
