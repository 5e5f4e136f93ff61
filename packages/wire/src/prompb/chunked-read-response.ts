import { crc32c } from "../crc32c";
import { ProtobufDecodeError } from "../protobuf/errors";
import { ProtoReader } from "../protobuf/reader";
import { WireType } from "../protobuf/wire-type";
import { ProtoWriter } from "../protobuf/writer";
import { readLabel, writeLabels } from "./label";
import type { ChunkedReadResponse, ChunkedSeries, Label, RemoteChunk } from "./types";

const LD = WireType.LengthDelimited;
const VARINT = WireType.Varint;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/** The media type of a STREAMED_XOR_CHUNKS response, which Prometheus's client checks before reading frames. */
export const CHUNKED_READ_CONTENT_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

/** A streamed response whose frame is truncated, oversized or fails its CRC-32C. */
export class ChunkedFrameError extends Error {
  override readonly name = "ChunkedFrameError";
  readonly errorType = "bad_data";
}

/** Encodes a `prometheus.ChunkedReadResponse` message (without its frame). */
export function encodeChunkedReadResponse(response: ChunkedReadResponse): Uint8Array {
  let estimate = 32;
  for (const series of response.chunkedSeries) {
    for (const chunk of series.chunks) estimate += 32 + chunk.data.length;
    estimate += 64 * series.labels.length;
  }
  const w = new ProtoWriter(estimate);
  for (const series of response.chunkedSeries) {
    w.fork(1);
    writeLabels(w, 1, series.labels);
    for (const chunk of series.chunks) {
      w.fork(2);
      if (chunk.minTimeMs !== 0) w.tag(1, VARINT).int64(chunk.minTimeMs);
      if (chunk.maxTimeMs !== 0) w.tag(2, VARINT).int64(chunk.maxTimeMs);
      if (chunk.type !== 0) w.tag(3, VARINT).uint32(chunk.type);
      if (chunk.data.length > 0) w.tag(4, LD).bytes(chunk.data);
      w.join();
    }
    w.join();
  }
  if (response.queryIndex !== 0) w.tag(2, VARINT).int64(response.queryIndex);
  return w.finish();
}

/**
 * One frame of a streamed remote-read response: uvarint length of the message, the message's CRC-32C (Castagnoli)
 * as 4 big-endian bytes, then the message.
 */
export function frameChunkedReadResponse(response: ChunkedReadResponse): Uint8Array {
  const message = encodeChunkedReadResponse(response);
  const prefix = new ProtoWriter(8).uint32(message.length).finish();
  const frame = new Uint8Array(prefix.length + 4 + message.length);
  frame.set(prefix, 0);
  new DataView(frame.buffer).setUint32(prefix.length, crc32c(message), false);
  frame.set(message, prefix.length + 4);
  return frame;
}

/** Decodes a `prometheus.ChunkedReadResponse` message; malformed bytes throw a `ProtobufDecodeError`. */
export function decodeChunkedReadResponse(bytes: Uint8Array): ChunkedReadResponse {
  const r = new ProtoReader(bytes);
  const chunkedSeries: ChunkedSeries[] = [];
  let queryIndex = 0;
  while (r.pos < r.end) {
    const t = r.uint32();
    if (t === tag(1, LD)) chunkedSeries.push(readChunkedSeries(r, r.messageEnd()));
    else if (t === tag(2, VARINT)) queryIndex = r.int64();
    else r.skip(t & 7);
  }
  return { chunkedSeries, queryIndex };
}

function readChunkedSeries(r: ProtoReader, end: number): ChunkedSeries {
  const labels: Label[] = [];
  const chunks: RemoteChunk[] = [];
  while (r.pos < end) {
    const t = r.uint32();
    if (t === tag(1, LD)) labels.push(readLabel(r, r.messageEnd(end)));
    else if (t === tag(2, LD)) chunks.push(readChunk(r, r.messageEnd(end)));
    else r.skip(t & 7, end);
  }
  if (r.pos !== end) throw r.error("chunked series overruns its length");
  return { labels, chunks };
}

function readChunk(r: ProtoReader, end: number): RemoteChunk {
  const chunk: RemoteChunk = { minTimeMs: 0, maxTimeMs: 0, type: 0, data: new Uint8Array(0) };
  while (r.pos < end) {
    const t = r.uint32();
    if (t === tag(1, VARINT)) chunk.minTimeMs = r.int64();
    else if (t === tag(2, VARINT)) chunk.maxTimeMs = r.int64();
    else if (t === tag(3, VARINT)) chunk.type = r.int32();
    else if (t === tag(4, LD)) chunk.data = r.bytes(end);
    else r.skip(t & 7, end);
  }
  if (r.pos !== end) throw r.error("chunk overruns its length");
  return chunk;
}

/**
 * Splits a whole streamed response body into its messages, checking every frame's CRC-32C. `maxFrameBytes`
 * bounds one message, as Prometheus's client does (its default is 50 MiB).
 */
export function readChunkedFrames(body: Uint8Array, maxFrameBytes = 50 * 1024 * 1024): ChunkedReadResponse[] {
  const out: ChunkedReadResponse[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const r = new ProtoReader(body);
  while (r.pos < r.end) {
    const frameStart = r.pos;
    let length: number;
    try {
      length = r.uint32();
    } catch (err) {
      if (err instanceof ProtobufDecodeError)
        throw new ChunkedFrameError(`truncated frame length at byte ${frameStart}`);
      throw err;
    }
    if (length > maxFrameBytes) {
      throw new ChunkedFrameError(`frame at byte ${frameStart} holds ${length} bytes, over ${maxFrameBytes}`);
    }
    if (r.pos + 4 + length > body.length) throw new ChunkedFrameError(`truncated frame at byte ${frameStart}`);
    const expected = view.getUint32(r.pos, false);
    const message = body.subarray(r.pos + 4, r.pos + 4 + length);
    if (crc32c(message) !== expected) throw new ChunkedFrameError(`CRC-32C mismatch in frame at byte ${frameStart}`);
    out.push(decodeChunkedReadResponse(message));
    r.pos += 4 + length;
  }
  return out;
}
