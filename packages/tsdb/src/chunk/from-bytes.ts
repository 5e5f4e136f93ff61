import { ChunkEncoding } from "./chunk";
import { ChunkDecodeError } from "./errors";
import { FloatHistogramChunk } from "./float-histogram";
import { HistogramChunk } from "./histogram";
import { XorChunk } from "./xor";

export type AnyChunk = XorChunk | HistogramChunk | FloatHistogramChunk;

/** The chunk for stored bytes and their encoding byte (Prometheus's `chunkenc.FromData`). */
export function chunkFromBytes(encoding: number, bytes: Uint8Array): AnyChunk {
  switch (encoding) {
    case ChunkEncoding.XOR:
      return new XorChunk(bytes);
    case ChunkEncoding.Histogram:
      return new HistogramChunk(bytes);
    case ChunkEncoding.FloatHistogram:
      return new FloatHistogramChunk(bytes);
    default:
      throw new ChunkDecodeError(`unknown chunk encoding ${encoding}`);
  }
}
