/**
 * What the head needs from a chunk encoding, so the head does not depend on one codec's class shape. The XOR codec
 * of `../chunk` plugs in through `xor-head-codec.ts`; histogram codecs plug in the same way.
 */
export interface OpenFloatChunk {
  append(t: number, v: number): void;
  numSamples(): number;
  /** Size of the encoded chunk so far. */
  byteLength(): number;
  /** A copy of the chunk bytes as they are now (a valid chunk: readers see every appended sample). */
  bytes(): Uint8Array;
}

export interface FloatChunkCodec {
  /** Prometheus's encoding id of the chunks this codec makes. */
  readonly encoding: number;
  create(): OpenFloatChunk;
  /** Continues appending to an encoded chunk (after a restart, from the head snapshot). */
  resume(bytes: Uint8Array): OpenFloatChunk;
  /** Calls `visit` for each sample of an encoded chunk, in order. */
  forEach(bytes: Uint8Array, visit: (t: number, v: number) => void): void;
}
