export { BitReader, BitWriter } from "./bitstream";
export { ChunkEncoding, MAX_ABS_TIMESTAMP, MAX_SAMPLES_PER_CHUNK, type Chunk, type ChunkIterator } from "./chunk";
export { ChunkAppendError, ChunkDecodeError } from "./errors";
export { floatFromBits, isStaleNaN, STALE_NAN } from "./float-bits";
export {
  decodeXor,
  decodeXorChunk,
  newXorChunk,
  xorChunkNumSamples,
  XorAppender,
  XorChunk,
  XorDecodeState,
  XorIterator,
  type DecodedSamples,
} from "./xor";
