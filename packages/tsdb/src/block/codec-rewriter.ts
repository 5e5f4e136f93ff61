import { decodeXorChunk, newXorChunk } from "../chunk";
import { ChunkEncoding, type BlockChunk } from "./chunk";
import type { ChunkRewriter } from "./chunk-rewriter";
import { BlockError } from "./errors";
import type { Interval } from "./tombstones";

/** The rewriter met a chunk encoding it cannot decode yet. */
export class UnsupportedChunkEncodingError extends BlockError {
  override readonly name: string = "UnsupportedChunkEncodingError";
}

/** Prometheus re-encodes merged series into chunks of this many samples. */
export const SAMPLES_PER_REWRITTEN_CHUNK = 120;

/**
 * The ChunkRewriter backed by edgeprom's chunk codec (`src/chunk`): the adapter that lets the block layer, which
 * otherwise only moves chunk bytes, merge overlapping chunks and drop deleted samples. Float (XOR) chunks only for
 * now; values are copied as float64 bits, so stale markers stay stale markers.
 */
export function codecChunkRewriter(samplesPerChunk = SAMPLES_PER_REWRITTEN_CHUNK): ChunkRewriter {
  return (chunks, deleted) => {
    const decoded = chunks.map((c) => {
      if (c.encoding !== ChunkEncoding.XOR) {
        throw new UnsupportedChunkEncodingError(`cannot rewrite chunks of encoding ${c.encoding} yet`);
      }
      return decodeXorChunk(c.data);
    });
    // Every sample as (chunk, position), ordered by time; on equal times the later chunk's sample wins.
    const order: [number, number][] = [];
    decoded.forEach((d, k) => {
      for (let i = 0; i < d.timestamps.length; i++) order.push([k, i]);
    });
    order.sort((a, b) => decoded[a[0]].timestamps[a[1]] - decoded[b[0]].timestamps[b[1]] || a[0] - b[0]);
    const kept: [number, number][] = [];
    for (const sample of order) {
      const t = decoded[sample[0]].timestamps[sample[1]];
      if (isDeleted(deleted, t)) continue;
      const last = kept[kept.length - 1];
      if (last !== undefined && decoded[last[0]].timestamps[last[1]] === t) kept[kept.length - 1] = sample;
      else kept.push(sample);
    }
    const out: BlockChunk[] = [];
    for (let start = 0; start < kept.length; start += samplesPerChunk) {
      const { chunk, appender } = newXorChunk();
      const part = kept.slice(start, start + samplesPerChunk);
      for (const [k, i] of part) appender.append(decoded[k].timestamps[i], decoded[k].values[i]);
      out.push({
        mint: decoded[part[0][0]].timestamps[part[0][1]],
        maxt: decoded[part[part.length - 1][0]].timestamps[part[part.length - 1][1]],
        encoding: ChunkEncoding.XOR,
        data: chunk.bytes().slice(),
      });
    }
    return out;
  };
}

function isDeleted(deleted: readonly Interval[], t: number): boolean {
  for (const d of deleted) if (d.mint <= t && t <= d.maxt) return true;
  return false;
}
