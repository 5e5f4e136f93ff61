import { describe, expect, it } from "vitest";
import { newXorChunk } from "../chunk/xor";
import { xorHeadCodec } from "../head/xor-head-codec";
import { labelsOf } from "../labels/label";
import { MemoryShardStorage } from "./memory-shard-storage";
import { decodeSelection, encodeSelection, SelectionDecodeError } from "./select-codec";
import type { SelectedChunk, SelectedSeries } from "./select-types";
import { Shard } from "./shard";

function xor(samples: [number, number][]): SelectedChunk {
  const { chunk, appender } = newXorChunk();
  for (const [t, v] of samples) appender.append(t, v);
  return { encoding: 1, mint: samples[0]![0], maxt: samples.at(-1)![0], data: chunk.bytes().slice() };
}

/** Plain copies, so `toEqual` compares chunk bytes by value whatever buffer they view. */
function plain(series: readonly SelectedSeries[]) {
  return series.map((s) => ({
    labels: s.labels.map((l) => ({ ...l })),
    chunks: s.chunks.map((c) => ({ ...c, data: Array.from(c.data) })),
  }));
}

describe("encodeSelection / decodeSelection", () => {
  it("round-trips labels, chunk headers and chunk bytes in order", () => {
    const answer: SelectedSeries[] = [
      {
        labels: labelsOf("__name__", "up", "instance", "a:9100", "job", "node"),
        chunks: [
          xor([
            [1_795_000_000_000, 1],
            [1_795_000_015_000, 0],
          ]),
          xor([[1_795_000_030_000, 1]]),
        ],
      },
      { labels: labelsOf("__name__", "up", "instance", "b:9100", "job", "node"), chunks: [] },
      {
        labels: labelsOf("__name__", "h", "le", "+Inf"),
        // Histogram and float histogram encodings travel as opaque bytes, negative timestamps as they are.
        chunks: [
          { encoding: 2, mint: -5_000, maxt: -1, data: new Uint8Array([0, 1, 2, 3]) },
          { encoding: 3, mint: 0, maxt: 2 ** 52, data: new Uint8Array(300).map((_, i) => i % 256) },
        ],
      },
    ];
    expect(plain(decodeSelection(encodeSelection(answer)))).toEqual(plain(answer));
  });

  it("keeps UTF-8 label names and values, and writes each string once", () => {
    const labels = labelsOf("__name__", "température_°C", "ville", "Zürich 🏔", "zone", "Zürich 🏔");
    const packed = encodeSelection([{ labels, chunks: [] }]);
    expect(decodeSelection(packed)[0]!.labels).toEqual(labels);
    const text = new TextDecoder().decode(packed);
    expect(text.split("Zürich 🏔")).toHaveLength(2);
  });

  it("decodes an empty answer", () => {
    expect(decodeSelection(encodeSelection([]))).toEqual([]);
  });

  it("gives chunk bytes as views into the packed buffer, one per chunk", () => {
    const packed = encodeSelection([
      { labels: labelsOf("__name__", "a"), chunks: [xor([[0, 1]]), xor([[10, 2]])] },
      { labels: labelsOf("__name__", "b"), chunks: [xor([[20, 3]])] },
    ]);
    const chunks = decodeSelection(packed).flatMap((s) => s.chunks);
    for (const c of chunks) expect(c.data.buffer).toBe(packed.buffer);
    const spans = chunks.map((c) => [c.data.byteOffset, c.data.byteOffset + c.data.length]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]!);
  });

  it("round-trips a real shard's select answer", () => {
    const shard = Shard.open(new MemoryShardStorage(), { codec: xorHeadCodec });
    const series = Array.from({ length: 50 }, (_, i) =>
      labelsOf("__name__", "node_cpu_seconds_total", "cpu", String(i % 8), "instance", `host-${i}:9100`),
    );
    for (let batch = 0; batch < 6; batch++) {
      shard.append(
        series.map((labels, k) => ({
          labels,
          samples: Array.from({ length: 60 }, (_, j) => ({ t: (batch * 60 + j) * 15_000, v: k * 1000 + j * 0.25 })),
        })),
      );
      if (batch === 3) shard.checkpoint();
    }
    const answer = shard.select({
      matchers: [{ type: "=", name: "__name__", value: "node_cpu_seconds_total" }],
      mint: 0,
      maxt: Infinity,
    });
    expect(answer).toHaveLength(50);
    expect(plain(decodeSelection(encodeSelection(answer)))).toEqual(plain(answer));
  });

  it("refuses a wrong version, truncated bytes, trailing bytes and an index out of range", () => {
    const packed = encodeSelection([{ labels: labelsOf("__name__", "a"), chunks: [xor([[0, 1]])] }]);
    expect(() => decodeSelection(new Uint8Array([2, 0, 0]))).toThrow(/version 2/);
    for (let cut = 0; cut < packed.length; cut++) {
      expect(() => decodeSelection(packed.subarray(0, cut))).toThrow(SelectionDecodeError);
    }
    const longer = new Uint8Array(packed.length + 1);
    longer.set(packed);
    expect(() => decodeSelection(longer)).toThrow(/1 trailing bytes/);
    // version 1, one string "a", one series with one label whose value index is 5.
    expect(() => decodeSelection(new Uint8Array([1, 1, 1, 97, 1, 1, 0, 5, 0]))).toThrow(/string index 5/);
    expect(() => decodeSelection(new Uint8Array([1, 0, 200, 1]))).toThrow(/series count 200 exceeds/);
  });

  it("refuses label strings that are not UTF-8", () => {
    expect(() => decodeSelection(new Uint8Array([1, 1, 2, 0xc3, 0x28, 0]))).toThrow(/not valid UTF-8/);
  });
});
