import { describe, expect, it } from "vitest";
import { decodeXorChunk } from "../chunk/xor";
import { xorHeadCodec } from "../head/xor-head-codec";
import { shardOf } from "../labels/hash";
import { labelsOf } from "../labels/label";
import { MemoryShardStorage } from "../shard/memory-shard-storage";
import { encodeSelection } from "../shard/select-codec";
import { Shard } from "../shard/shard";
import type { AppendBatch } from "../wal/append-batch";
import { ShardCallError, shardCountFrom, ShardCountError, type ShardNamespace, type ShardRpc } from "./shard-rpc";
import { ShardedReader } from "./sharded-reader";
import { ShardedWriter, type ColumnSeries } from "./sharded-writer";

/** Real shards in one process, reached by name like Durable Objects; `broken` shards fail every call. */
function localNamespace(count: number, broken: ReadonlySet<string> = new Set()) {
  const shards = new Map<string, Shard>();
  const calls: string[] = [];
  const namespace: ShardNamespace<string> = {
    idFromName: (name) => name,
    get(name): ShardRpc {
      let shard = shards.get(name);
      if (!shard) shards.set(name, (shard = Shard.open(new MemoryShardStorage(), { codec: xorHeadCodec })));
      const s = shard;
      const call = async <T>(op: string, fn: () => T): Promise<T> => {
        calls.push(`${name}:${op}`);
        await Promise.resolve();
        if (broken.has(name)) throw new Error("object reset");
        return fn();
      };
      return {
        append: (batch) => call("append", () => s.append(batch)),
        select: (request) => call("select", () => encodeSelection(s.select(request))),
        labelNames: (request) => call("labelNames", () => s.labelNames(request)),
        labelValues: (name, request) => call("labelValues", () => s.labelValues(name, request)),
        series: (request) => call("series", () => s.series(request)),
        stats: (limit) => call("stats", () => s.stats(limit)),
        deleteSeries: (m, mint, maxt) => call("deleteSeries", () => s.deleteSeries(m, mint, maxt)),
      };
    },
  };
  return { namespace, shards, calls, count };
}

const batch: AppendBatch = Array.from({ length: 40 }, (_, i) => ({
  labels: labelsOf("__name__", i % 2 ? "up" : "scrape_duration_seconds", "job", "node", "instance", `host-${i}`),
  samples: [
    { t: 1000, v: i },
    { t: 2000, v: i + 1 },
  ],
}));

describe("ShardedWriter", () => {
  it("places each series on the shard its label hash names and merges the results", async () => {
    const local = localNamespace(4);
    const writer = new ShardedWriter(local.namespace, 4);
    const result = await writer.append(batch);
    expect(result.samplesAccepted).toBe(80);
    expect(result.seriesCreated).toBe(40);
    for (const [name, shard] of local.shards) {
      for (const labels of shard.series({})) expect(`shard-${shardOf(labels, 4)}`).toBe(name);
    }
    const appendCalls = local.calls.filter((c) => c.endsWith(":append"));
    expect(new Set(appendCalls).size).toBe(appendCalls.length); // one call per shard
  });

  it("hashes the canonical label set whatever order the labels come in", async () => {
    const local = localNamespace(8);
    const writer = new ShardedWriter(local.namespace, 8);
    const labels = labelsOf("__name__", "up", "job", "a", "zone", "z");
    await writer.append([{ labels: [...labels].reverse(), samples: [{ t: 1, v: 1 }] }]);
    await writer.append([{ labels: [...labels, { name: "empty", value: "" }], samples: [{ t: 2, v: 1 }] }]);
    const reader = new ShardedReader(local.namespace, 8);
    const [series] = await reader.select({ matchers: [{ type: "=", name: "job", value: "a" }], mint: 0, maxt: 10 });
    expect(series.chunks.map((c) => decodeXorChunk(c.data).timestamps.length)).toEqual([2]);
  });

  it("appends decoded columns to the same shards as the same series as objects", async () => {
    const local = localNamespace(4);
    const writer = new ShardedWriter(local.namespace, 4);
    const timestamps = Float64Array.from(batch.flatMap((s) => s.samples!.map((x) => x.t)));
    const values = Float64Array.from(batch.flatMap((s) => s.samples!.map((x) => x.v)));
    const series: ColumnSeries[] = batch.map((s, i) => ({
      labels: [...s.labels].reverse(),
      sampleStart: 2 * i,
      sampleCount: 2,
    }));
    series.push({ labels: labelsOf("__name__", "nothing"), sampleStart: 80, sampleCount: 0 });
    const result = await writer.appendColumns({ series, timestamps, values });
    expect(result.samplesAccepted).toBe(80);
    expect(result.seriesCreated).toBe(40);
    for (const [name, shard] of local.shards) {
      for (const labels of shard.series({})) expect(`shard-${shardOf(labels, 4)}`).toBe(name);
    }
    const reader = new ShardedReader(local.namespace, 4);
    const selected = await reader.select({
      matchers: [{ type: "=", name: "instance", value: "host-7" }],
      mint: 0,
      maxt: 3000,
    });
    expect(selected.map((s) => [...decodeXorChunk(s.chunks[0].data).values])).toEqual([[7, 8]]);
  });

  it("fails the call naming the shard when one shard fails, after the others settle", async () => {
    const local = localNamespace(4, new Set(["shard-2"]));
    const writer = new ShardedWriter(local.namespace, 4);
    const error = await writer.append(batch).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ShardCallError);
    expect((error as ShardCallError).message).toBe("append on shard-2 failed: object reset");
  });
});

describe("ShardedReader", () => {
  it("merges select, names, values and series from every shard, sorted", async () => {
    const local = localNamespace(3);
    await new ShardedWriter(local.namespace, 3).append(batch);
    const reader = new ShardedReader(local.namespace, 3);
    const selected = await reader.select({
      matchers: [{ type: "=", name: "__name__", value: "up" }],
      mint: 0,
      maxt: 5000,
    });
    expect(selected.map((s) => s.labels.find((l) => l.name === "instance")!.value)).toEqual(
      Array.from({ length: 20 }, (_, i) => `host-${2 * i + 1}`).sort(),
    );
    expect(await reader.labelNames()).toEqual(["__name__", "instance", "job"]);
    expect(await reader.labelValues("__name__")).toEqual(["scrape_duration_seconds", "up"]);
    expect(await reader.labelValues("instance", { limit: 3 })).toEqual(["host-0", "host-1", "host-10"]);
    expect((await reader.series({ selectors: [[{ type: "=~", name: "instance", value: "host-1.?" }]] })).length).toBe(
      11,
    );
    const stats = await reader.stats(5);
    expect(stats.headStats.numSeries).toBe(40);
    expect(stats.seriesCountByMetricName).toEqual([
      { name: "scrape_duration_seconds", value: 20 },
      { name: "up", value: 20 },
    ]);
    expect(await reader.deleteSeries([{ type: "=", name: "__name__", value: "up" }], 0, 1500)).toEqual({
      seriesDeleted: 20,
    });
  });

  it("keeps at most six calls in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const namespace: ShardNamespace<string> = {
      idFromName: (name) => name,
      get(): ShardRpc {
        const shard = Shard.open(new MemoryShardStorage(), { codec: xorHeadCodec });
        const slow = async <T>(fn: () => T): Promise<T> => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight--;
          return fn();
        };
        return {
          append: (b) => slow(() => shard.append(b)),
          select: (r) => slow(() => encodeSelection(shard.select(r))),
          labelNames: (r) => slow(() => shard.labelNames(r)),
          labelValues: (n, r) => slow(() => shard.labelValues(n, r)),
          series: (r) => slow(() => shard.series(r)),
          stats: (l) => slow(() => shard.stats(l)),
          deleteSeries: (m, a, b) => slow(() => shard.deleteSeries(m, a, b)),
        };
      },
    };
    expect(await new ShardedReader(namespace, 16).labelNames()).toEqual([]);
    expect(peak).toBe(6);
    // selectInFlight widens selects only: the querier asks every shard at once, metadata keeps the limit.
    const wide = new ShardedReader(namespace, 16, { selectInFlight: 16 });
    peak = 0;
    expect(await wide.select({ matchers: [{ type: "=", name: "job", value: "x" }], mint: 0, maxt: 1 })).toEqual([]);
    expect(peak).toBe(16);
    peak = 0;
    expect(await wide.labelValues("job")).toEqual([]);
    expect(peak).toBe(6);
  });
});

describe("shardCountFrom", () => {
  it("parses EDGEPROM_SHARDS with a default", () => {
    expect(shardCountFrom(undefined)).toBe(16);
    expect(shardCountFrom("4")).toBe(4);
    expect(() => shardCountFrom("0")).toThrow(ShardCountError);
    expect(() => shardCountFrom("2.5")).toThrow(ShardCountError);
  });
});
