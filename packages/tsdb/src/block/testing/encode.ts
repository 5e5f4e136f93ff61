// Test and benchmark support: float series encoded into XOR chunks with edgeprom's chunk codec, cut as Prometheus's
// head cuts them (at most 120 samples, never across a 2 h boundary).
import { decodeXorChunk, newXorChunk } from "../../chunk";
import { ChunkEncoding, type BlockChunk, type BlockSeries } from "../chunk";
import type { FloatSeries } from "./openmetrics";

export function encodeSeries(series: FloatSeries, samplesPerChunk = 120, range = 2 * 3600 * 1000): BlockSeries {
  const chunks: BlockChunk[] = [];
  let i = 0;
  while (i < series.timestamps.length) {
    const { chunk, appender } = newXorChunk();
    const start = i;
    const rangeEnd = Math.floor(series.timestamps[i] / range) * range + range;
    while (i < series.timestamps.length && i - start < samplesPerChunk && series.timestamps[i] < rangeEnd) {
      appender.append(series.timestamps[i], series.values[i]);
      i++;
    }
    chunks.push({
      mint: series.timestamps[start],
      maxt: series.timestamps[i - 1],
      encoding: ChunkEncoding.XOR,
      data: chunk.bytes().slice(),
    });
  }
  return { labels: series.labels, chunks };
}

/** Timestamps and the raw float64 bits of every value, for bit-exact comparisons. */
export function decodeSeriesBits(chunks: readonly BlockChunk[]): { t: number; bits: string }[] {
  const out: { t: number; bits: string }[] = [];
  for (const c of chunks) {
    const d = decodeXorChunk(c.data);
    const words = new Uint32Array(d.values.buffer);
    for (let i = 0; i < d.timestamps.length; i++) {
      out.push({ t: d.timestamps[i], bits: words[2 * i + 1].toString(16) + ":" + words[2 * i].toString(16) });
    }
  }
  return out;
}

/**
 * The same, straight from the samples we encoded. A stale marker kept in a plain JS array may have been quieted by
 * V8 (0x7ff8000000000002); it is still the stale marker and is written as 0x7ff0000000000002, so expect that.
 */
export function seriesBits(series: FloatSeries): { t: number; bits: string }[] {
  const f = Float64Array.from(series.values);
  const words = new Uint32Array(f.buffer);
  return series.timestamps.map((t, i) => {
    const hi = words[2 * i + 1] === 0x7ff80000 && words[2 * i] === 2 ? 0x7ff00000 : words[2 * i + 1];
    return { t, bits: hi.toString(16) + ":" + words[2 * i].toString(16) };
  });
}
