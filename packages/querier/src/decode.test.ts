import { describe, expect, it } from "vitest";
import { ChunkEncoding, newXorChunk, STALE_NAN, type SelectedChunk, type SelectedSeries } from "@edgeprom/tsdb";
import { decodeSelectedSeries, decodeSelectedSeriesList, UnsupportedChunkError } from "./decode";

function xorChunk(samples: [number, number][]): SelectedChunk {
  const { chunk, appender } = newXorChunk();
  for (const [t, v] of samples) appender.append(t, v);
  return { encoding: ChunkEncoding.XOR, mint: samples[0]![0], maxt: samples.at(-1)![0], data: chunk.bytes().slice() };
}

function series(name: string, ...chunks: SelectedChunk[]): SelectedSeries {
  return { labels: [{ name: "__name__", value: name }], chunks };
}

const columns = (s: { floats: { t: Float64Array; v: Float64Array } }) => ({
  t: Array.from(s.floats.t),
  v: Array.from(s.floats.v),
});

describe("decodeSelectedSeriesList", () => {
  it("decodes every series into its own samples, trimmed to [mint, maxt]", () => {
    const a = series(
      "a",
      xorChunk([
        [0, 1],
        [10, 2],
        [20, 3],
      ]),
      xorChunk([
        [30, 4],
        [40, 5],
      ]),
    );
    const b = series(
      "b",
      xorChunk([
        [5, 10],
        [15, 11],
        [25, 12],
        [35, 13],
      ]),
    );
    const [da, db] = decodeSelectedSeriesList([a, b], 10, 35);
    expect(columns(da!)).toEqual({ t: [10, 20, 30], v: [2, 3, 4] });
    expect(columns(db!)).toEqual({ t: [15, 25, 35], v: [11, 12, 13] });
    expect(da!.labels).toBe(a.labels);
    expect(da!.histograms).toBeUndefined();
  });

  it("gives the same result as decoding each series alone, and keeps one series' writes out of another's", () => {
    const list = [0, 1, 2].map((k) =>
      series(
        `s${k}`,
        xorChunk(Array.from({ length: 50 }, (_, i): [number, number] => [i * 15_000, k * 100 + i * 0.5])),
      ),
    );
    const together = decodeSelectedSeriesList(list, 60_000, 600_000);
    list.forEach((s, k) => expect(columns(together[k]!)).toEqual(columns(decodeSelectedSeries(s, 60_000, 600_000))));
    together[0]!.floats.v.fill(-1);
    expect(together[1]!.floats.v[0]).toBe(100 + 4 * 0.5);
  });

  it("drops the later duplicates where chunks overlap and keeps the stale marker's bits", () => {
    const s = series(
      "a",
      xorChunk([
        [0, 1],
        [10, 2],
        [20, STALE_NAN],
      ]),
      xorChunk([
        [10, 99],
        [20, 98],
        [30, 4],
      ]),
    );
    const [d] = decodeSelectedSeriesList([s], 0, 100);
    expect(Array.from(d!.floats.t)).toEqual([0, 10, 20, 30]);
    expect(Array.from(d!.floats.v.subarray(0, 2))).toEqual([1, 2]);
    const bits = new DataView(d!.floats.v.buffer, d!.floats.v.byteOffset + 2 * 8, 8);
    expect(bits.getUint32(4, true)).toBe(0x7ff00000);
    expect(bits.getUint32(0, true)).toBe(0x00000002);
    expect(d!.floats.v[3]).toBe(4);
  });

  it("returns empty columns for a series with no samples in range and for an empty list", () => {
    const [d] = decodeSelectedSeriesList([series("a", xorChunk([[0, 1]]))], 5, 10);
    expect(d!.floats.t.length).toBe(0);
    expect(decodeSelectedSeriesList([], 0, 10)).toEqual([]);
  });

  it("fails with a typed error on a chunk encoding it cannot read", () => {
    const bad = series("a", { encoding: 9, mint: 0, maxt: 0, data: new Uint8Array([0, 1]) });
    expect(() => decodeSelectedSeriesList([bad], 0, 10)).toThrow(UnsupportedChunkError);
  });
});
