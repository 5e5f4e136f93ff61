/** A chunk's bytes do not decode: truncated, corrupt, or not the encoding they claim to be. */
export class ChunkDecodeError extends Error {
  override readonly name = "ChunkDecodeError";
}

/** An append the chunk cannot take (full, bad timestamp, layout that needs a new chunk, ...). */
export class ChunkAppendError extends Error {
  override readonly name = "ChunkAppendError";
}
