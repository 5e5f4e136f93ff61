import { ChunkEncoding } from "../chunk/chunk";
import { decodeXorChunk, newXorChunk, XorChunk, type XorAppender } from "../chunk/xor";
import type { FloatChunkCodec, OpenFloatChunk } from "./head-chunk";

class XorOpenChunk implements OpenFloatChunk {
  constructor(
    private readonly chunk: XorChunk,
    private readonly appender: XorAppender,
  ) {}

  append(t: number, v: number): void {
    this.appender.append(t, v);
  }

  numSamples(): number {
    return this.appender.numSamples;
  }

  byteLength(): number {
    return this.chunk.byteLength();
  }

  bytes(): Uint8Array {
    return this.chunk.bytes().slice();
  }
}

/** Prometheus's XOR float chunks for the head. */
export const xorHeadCodec: FloatChunkCodec = {
  encoding: ChunkEncoding.XOR,
  create() {
    const { chunk, appender } = newXorChunk();
    return new XorOpenChunk(chunk, appender);
  },
  resume(bytes) {
    const chunk = new XorChunk(bytes);
    return new XorOpenChunk(chunk, chunk.appender());
  },
  forEach(bytes, visit) {
    const { timestamps, values } = decodeXorChunk(bytes);
    for (let i = 0; i < timestamps.length; i++) visit(timestamps[i], values[i]);
  },
};
