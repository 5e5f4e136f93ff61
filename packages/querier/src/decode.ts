import type { Series } from "@edgeprom/promql";
import { ChunkEncoding, decodeXor, xorChunkNumSamples, type SelectedSeries } from "@edgeprom/tsdb";

/** A chunk encoding this querier cannot decode yet; the query fails rather than silently missing samples. */
export class UnsupportedChunkError extends Error {
  override readonly name = "UnsupportedChunkError";
  readonly errorType = "internal";
}

/**
 * Decodes a selected series' chunks into one pair of columns, trimmed to [mint, maxt]. Chunks arrive sorted by time;
 * where two overlap (a head chunk and a block chunk during compaction) the later duplicate timestamps are dropped.
 */
export function decodeSelectedSeries(selected: SelectedSeries, mint: number, maxt: number): Series {
  let total = 0;
  for (const chunk of selected.chunks) {
    if (chunk.encoding !== ChunkEncoding.XOR) {
      throw new UnsupportedChunkError(`chunk encoding ${chunk.encoding} cannot be read by the querier yet`);
    }
    total += xorChunkNumSamples(chunk.data);
  }
  const t = new Float64Array(total);
  const v = new Float64Array(total);
  const words = new Uint32Array(v.buffer);
  let n = 0;
  let ordered = true;
  for (const chunk of selected.chunks) {
    const before = n;
    n += decodeXor(chunk.data, t, words, n, null);
    if (before > 0 && n > before && t[before]! <= t[before - 1]!) ordered = false;
  }
  if (!ordered) n = dropOverlaps(t, words, n);
  let from = 0;
  while (from < n && t[from]! < mint) from++;
  let to = n;
  while (to > from && t[to - 1]! > maxt) to--;
  return { labels: selected.labels, floats: { t: t.subarray(from, to), v: v.subarray(from, to) } };
}

/** Keeps the first sample of each timestamp in time order, moving value bits as words so NaN payloads survive. */
function dropOverlaps(t: Float64Array, words: Uint32Array, n: number): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
  const tCopy = t.slice(0, n);
  const wCopy = words.slice(0, 2 * n);
  let out = 0;
  for (const i of order) {
    if (out > 0 && t[out - 1] === tCopy[i]) continue;
    t[out] = tCopy[i]!;
    words[2 * out] = wCopy[2 * i]!;
    words[2 * out + 1] = wCopy[2 * i + 1]!;
    out++;
  }
  return out;
}
