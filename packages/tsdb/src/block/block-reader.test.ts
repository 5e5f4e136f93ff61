import { describe, expect, it } from "vitest";
import { BlockReader, type BlockSource } from "./block-reader";
import { writeBlock, type WrittenBlock } from "./block-writer";
import { codecChunkRewriter } from "./codec-rewriter";
import { ChecksumMismatchError } from "./errors";
import type { LabelMatcher } from "./matchers";
import { BytesRangeReader, CountingRangeReader } from "./range-reader";
import { decodeSeriesBits, encodeSeries, seriesBits } from "./testing/encode";
import type { FloatSeries } from "./testing/openmetrics";
import { encodeTombstones } from "./tombstones";

const T0 = 1_700_000_000_000;

/** A NaN with the stale marker's bits, written as bits so nothing can quieten it on the way. */
const STALE = Symbol("stale");

function series(
  labels: Record<string, string>,
  n: number,
  value: (i: number) => number | typeof STALE,
  step = 15_000,
): FloatSeries {
  const values = new Float64Array(n);
  const words = new Uint32Array(values.buffer);
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === STALE) {
      words[2 * i] = 0x00000002;
      words[2 * i + 1] = 0x7ff00000;
    } else values[i] = v;
  }
  const sorted = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => ({ name, value }));
  return {
    labels: sorted,
    timestamps: Array.from({ length: n }, (_, i) => T0 + i * step),
    values,
  };
}

const input: FloatSeries[] = [
  series({ __name__: "up", job: "api", instance: "a:9090" }, 400, (i) => (i === 250 ? STALE : 1)),
  series({ __name__: "up", job: "api", instance: "b:9090" }, 400, () => 0),
  series({ __name__: "up", job: "db", instance: "c:9090" }, 10, () => 1),
  series({ __name__: "http_requests_total", job: "api", code: "200" }, 300, (i) => i * 1.5),
  series({ __name__: "http_requests_total", job: "api", code: "500" }, 300, (i) => Math.floor(i / 10)),
  series({ __name__: "temperature", room: "kitchen", ünïcode: "✓ 𝄞" }, 50, (i) => -273.15 + i / 3),
  series({ __name__: "weird", le: "+Inf" }, 5, (i) => [NaN, Infinity, -Infinity, -0, 5e-324][i]),
];

function source(
  block: WrittenBlock,
  tombstones: Uint8Array | null = null,
): BlockSource & { index: CountingRangeReader } {
  const file = (name: string): Uint8Array => block.files.find((f) => f.name === name)?.bytes as Uint8Array;
  return {
    meta: block.meta,
    index: new CountingRangeReader(new BytesRangeReader(file("index"))),
    segments: [new BytesRangeReader(file("chunks/000001"))],
    tombstones,
  };
}

const key = (labels: readonly { name: string; value: string }[]): string =>
  labels.map((l) => `${l.name}=${l.value}`).join(",");

async function selectKeys(reader: BlockReader, matchers: LabelMatcher[]): Promise<string[]> {
  return (await reader.select(matchers, -Infinity, Infinity)).map((s) => key(s.labels));
}

describe("block writer and reader", () => {
  const block = writeBlock(input.map((s) => encodeSeries(s)));

  it("round-trips every sample bit for bit, stale marker included", async () => {
    const reader = await BlockReader.open(source(block));
    const selected = await reader.select([], -Infinity, Infinity);
    expect(selected).toHaveLength(input.length);
    for (const s of input) {
      const found = selected.find((x) => key(x.labels) === key(s.labels));
      expect(found, key(s.labels)).toBeDefined();
      expect(decodeSeriesBits(found?.chunks ?? [])).toEqual(seriesBits(s));
    }
    const stale = decodeSeriesBits(selected.find((x) => key(x.labels).includes("a:9090"))?.chunks ?? [])[250];
    expect(stale.bits).toBe("7ff00000:2");
    expect(block.meta.stats).toEqual({
      numSamples: input.reduce((n, s) => n + s.timestamps.length, 0),
      numSeries: input.length,
      numChunks: block.meta.stats.numChunks,
    });
    expect(block.meta.minTime).toBe(T0);
    expect(block.meta.maxTime).toBe(T0 + 399 * 15_000 + 1);
  });

  it("answers every matcher type with Prometheus's semantics", async () => {
    const reader = await BlockReader.open(source(block));
    expect(await selectKeys(reader, [{ type: "=", name: "__name__", value: "up" }])).toEqual([
      "__name__=up,instance=a:9090,job=api",
      "__name__=up,instance=b:9090,job=api",
      "__name__=up,instance=c:9090,job=db",
    ]);
    expect(
      await selectKeys(reader, [
        { type: "=", name: "__name__", value: "up" },
        { type: "!=", name: "job", value: "api" },
      ]),
    ).toEqual(["__name__=up,instance=c:9090,job=db"]);
    expect(await selectKeys(reader, [{ type: "=~", name: "code", value: "5.." }])).toEqual([
      "__name__=http_requests_total,code=500,job=api",
    ]);
    // A matcher that matches "" also selects series without the label.
    expect(await selectKeys(reader, [{ type: "!~", name: "job", value: "api|db" }])).toEqual([
      "__name__=temperature,room=kitchen,ünïcode=✓ 𝄞",
      "__name__=weird,le=+Inf",
    ]);
    expect(await selectKeys(reader, [{ type: "=", name: "room", value: "" }])).toHaveLength(input.length - 1);
    expect(await selectKeys(reader, [{ type: "=", name: "nope", value: "x" }])).toEqual([]);
    expect(await selectKeys(reader, [{ type: "=~", name: "ünïcode", value: "✓ .+" }])).toHaveLength(1);
  });

  it("returns only chunks overlapping the time range", async () => {
    const reader = await BlockReader.open(source(block));
    const from = T0 + 200 * 15_000;
    const to = T0 + 210 * 15_000;
    const selected = await reader.select([{ type: "=", name: "instance", value: "b:9090" }], from, to);
    expect(selected).toHaveLength(1);
    for (const c of selected[0].chunks) expect(c.maxt >= from && c.mint <= to).toBe(true);
    expect(selected[0].chunks.length).toBeLessThan(4);
    expect(await reader.select([], T0 + 1e9, T0 + 2e9)).toEqual([]);
  });

  it("lists label names and values", async () => {
    const reader = await BlockReader.open(source(block));
    expect(await reader.labelNames()).toEqual(["__name__", "code", "instance", "job", "le", "room", "ünïcode"]);
    expect(await reader.labelValues("job")).toEqual(["api", "db"]);
    expect(await reader.labelValues("instance", [{ type: "=", name: "job", value: "api" }])).toEqual([
      "a:9090",
      "b:9090",
    ]);
    expect(await reader.labelNames([{ type: "=", name: "job", value: "db" }])).toEqual(["__name__", "instance", "job"]);
  });

  it("opens a large index with few ranged reads", async () => {
    const many = Array.from({ length: 4000 }, (_, i) =>
      encodeSeries(series({ __name__: "m", id: String(i).padStart(5, "0"), job: "x" }, 3, (k) => k)),
    );
    const big = writeBlock(many);
    const src = source(big);
    expect(src.index.size).toBeGreaterThan(256 * 1024);
    const reader = await BlockReader.open(src);
    expect(src.index.requests).toBe(2); // the tail (TOC, postings offset table), then header and symbols
    const before = src.index.requests;
    const selected = await reader.select([{ type: "=~", name: "id", value: "0010[0-9]" }], -Infinity, Infinity);
    expect(selected.map((s) => s.labels[1].value)).toEqual(Array.from({ length: 10 }, (_, i) => `0010${i}`));
    expect(src.index.requests - before).toBe(2); // one coalesced postings read, one coalesced series read
  });

  it("rejects corrupt bytes with a checksum error", async () => {
    const index = block.files.find((f) => f.name === "index")?.bytes.slice() as Uint8Array;
    const seriesSection = Number(new DataView(index.buffer).getBigUint64(index.length - 52 + 8));
    index[Math.ceil(seriesSection / 16) * 16 + 3] ^= 0xff; // inside the first series entry
    const corrupt = { ...source(block), index: new CountingRangeReader(new BytesRangeReader(index)) };
    const reader = await BlockReader.open(corrupt);
    await expect(reader.select([], -Infinity, Infinity)).rejects.toThrow(ChecksumMismatchError);
  });

  it("honours tombstones: whole chunks dropped, cut chunks re-encoded or reported", async () => {
    const plain = await BlockReader.open(source(block));
    const [target] = await plain.postingsForMatchers([{ type: "=", name: "instance", value: "b:9090" }]);
    const deleted = { mint: T0 + 100 * 15_000, maxt: T0 + 299 * 15_000 };
    const tombstones = encodeTombstones(new Map([[target, [deleted]]]));
    const reader = await BlockReader.open(source(block, tombstones));
    const matchers: LabelMatcher[] = [{ type: "=", name: "instance", value: "b:9090" }];

    const reported = await reader.select(matchers, -Infinity, Infinity);
    expect(reported[0].deleted).toEqual([deleted]);

    const rewritten = await reader.select(matchers, -Infinity, Infinity, { rewriter: codecChunkRewriter() });
    expect(rewritten[0].deleted).toBeUndefined();
    const times = decodeSeriesBits(rewritten[0].chunks).map((s) => s.t);
    expect(times).toHaveLength(200);
    expect(times.every((t) => t < deleted.mint || t > deleted.maxt)).toBe(true);

    // Everything else is untouched.
    expect(await reader.select([{ type: "=", name: "instance", value: "a:9090" }], -Infinity, Infinity)).toEqual(
      await plain.select([{ type: "=", name: "instance", value: "a:9090" }], -Infinity, Infinity),
    );
  });

  it("writes and reads an empty block", async () => {
    const empty = writeBlock([], { minTime: T0, maxTime: T0 + 1000 });
    expect(empty.meta.stats).toEqual({ numSamples: 0, numSeries: 0, numChunks: 0 });
    const reader = await BlockReader.open(source(empty));
    expect(await reader.select([], -Infinity, Infinity)).toEqual([]);
    expect(await reader.labelNames()).toEqual([]);
    expect(() => writeBlock([])).toThrow(/minTime and maxTime/);
  });
});
