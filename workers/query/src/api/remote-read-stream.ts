import type { SelectedSeries } from "@edgeprom/tsdb";
import { frameChunkedReadResponse, type RemoteChunk } from "@edgeprom/wire";

/** Chunk bytes per frame before a series continues in the next one (Prometheus's server uses the same 1 MiB). */
export const MAX_CHUNK_BYTES_PER_FRAME = 1024 * 1024;

/**
 * The frames of one query's series for a STREAMED_XOR_CHUNKS response. Series go out whole and in label order, one
 * per frame; a series whose chunks exceed the frame budget continues in further frames, and no frame holds more
 * than one series, so a client can finish a series as soon as a frame names another. Chunks are sent as stored,
 * untrimmed, since the client filters samples by time itself.
 */
export function* framesOfQuery(
  series: readonly SelectedSeries[],
  queryIndex: number,
  maxChunkBytes = MAX_CHUNK_BYTES_PER_FRAME,
): Generator<Uint8Array> {
  for (const s of series) {
    if (s.chunks.length === 0) continue;
    const labels = [...s.labels];
    let batch: RemoteChunk[] = [];
    let bytes = 0;
    for (const chunk of s.chunks) {
      batch.push({ minTimeMs: chunk.mint, maxTimeMs: chunk.maxt, type: chunk.encoding, data: chunk.data });
      bytes += chunk.data.length;
      if (bytes >= maxChunkBytes) {
        yield frameChunkedReadResponse({ chunkedSeries: [{ labels, chunks: batch }], queryIndex });
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0) yield frameChunkedReadResponse({ chunkedSeries: [{ labels, chunks: batch }], queryIndex });
  }
}
