import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { decodeXorChunk } from "../chunk/xor";
import { xorHeadCodec } from "../head/xor-head-codec";
import { labelsOf } from "../labels/label";
import { decodeSelection, type PackedSelection } from "../shard/select-codec";
import type { SelectedSeries } from "../shard/select-types";
import { Shard } from "../shard/shard";
import type { SeriesAppend } from "../wal/append-batch";
import { encodeAppendBatch } from "../wal/batch-codec";
import type { SeriesShard } from "./series-shard";
import { SqliteShardStorage } from "./sqlite-shard-storage";

let counter = 0;
function freshShard(): DurableObjectStub<SeriesShard> {
  return env.SERIES_SHARD.get(env.SERIES_SHARD.idFromName(`test-shard-${Date.now()}-${counter++}`));
}

const up = (instance: string) => labelsOf("__name__", "up", "job", "node", "instance", instance);

function batch(b: number, seriesCount = 10, perSeries = 10): SeriesAppend[] {
  return Array.from({ length: seriesCount }, (_, s) => ({
    labels: up(`host-${s}`),
    samples: Array.from({ length: perSeries }, (_, i) => ({ t: (b * perSeries + i) * 1000, v: b * perSeries + i + s })),
  }));
}

function points(answer: SelectedSeries[] | PackedSelection): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of answer instanceof Uint8Array ? decodeSelection(answer) : answer) {
    const ts: number[] = [];
    for (const c of s.chunks) ts.push(...decodeXorChunk(c.data).timestamps);
    out.set(s.labels.find((l) => l.name === "instance")!.value, ts);
  }
  return out;
}

const everything = {
  matchers: [{ type: "=" as const, name: "__name__", value: "up" }],
  mint: -Infinity,
  maxt: Infinity,
};

describe("SeriesShard over RPC", () => {
  it("appends plain and encoded batches and selects across open and closed chunks", async () => {
    const stub = freshShard();
    for (let b = 0; b < 30; b++) {
      const result = await stub.append(b % 2 === 0 ? batch(b) : encodeAppendBatch(batch(b)));
      expect(result.samplesAccepted).toBe(100);
    }
    await stub.checkpoint();
    await stub.append(batch(30));
    const result = decodeSelection(await stub.select(everything));
    expect(result).toHaveLength(10);
    // 310 samples at 1 s: two persisted chunks (Prometheus's cut rule makes them 117 samples) and an open one.
    expect(result[0].chunks.map((c) => [c.mint, c.maxt])).toEqual([
      [0, 116_000],
      [117_000, 233_000],
      [234_000, 309_000],
    ]);
    expect(points(result).get("host-3")).toEqual(Array.from({ length: 310 }, (_, i) => i * 1000));
    expect((await stub.status()).series).toBe(10);
  });

  it("refuses out-of-order and conflicting duplicates and keeps the rest of the batch", async () => {
    const stub = freshShard();
    await stub.append([{ labels: up("a"), samples: [{ t: 5000, v: 1 }] }]);
    const result = await stub.append([
      {
        labels: up("a"),
        samples: [
          { t: 4000, v: 1 },
          { t: 5000, v: 2 },
          { t: 6000, v: 3 },
        ],
      },
      { labels: up("b"), samples: [{ t: 1000, v: 1 }] },
    ]);
    expect(result.samplesAccepted).toBe(2);
    expect(result.refused).toEqual({ "out of order sample": 1, "duplicate sample for timestamp": 1 });
    expect(result.examples).toHaveLength(2);
    expect(points(await stub.select(everything))).toEqual(
      new Map([
        ["a", [5000, 6000]],
        ["b", [1000]],
      ]),
    );
  });

  it("selects with regex matchers, Prometheus-anchored", async () => {
    const stub = freshShard();
    await stub.append(batch(0, 12, 1));
    const select = async (value: string, type: "=~" | "!~" = "=~") =>
      [
        ...points(
          await stub.select({
            matchers: [
              { type: "=", name: "job", value: "node" },
              { type, name: "instance", value },
            ],
            mint: 0,
            maxt: 1e12,
          }),
        ).keys(),
      ].sort();
    expect(await select("host-1.*")).toEqual(["host-1", "host-10", "host-11"]);
    expect(await select("host-1")).toEqual(["host-1"]);
    expect(await select("host-[0-8]|host-11", "!~")).toEqual(["host-10", "host-9"]);
    let error: unknown = null;
    try {
      await stub.select({ matchers: [{ type: "=~", name: "instance", value: "(" }], mint: 0, maxt: 1 });
    } catch (err) {
      error = err;
    }
    expect(String(error)).toMatch(/invalid matcher/);
  });

  it("deletes series ranges with tombstones honoured by select and metadata", async () => {
    const stub = freshShard();
    for (let b = 0; b < 20; b++) await stub.append(batch(b, 3));
    await stub.checkpoint();
    expect(await stub.deleteSeries([{ type: "=", name: "instance", value: "host-0" }], 50_000, 149_999)).toEqual({
      seriesDeleted: 1,
    });
    expect(await stub.deleteSeries([{ type: "=", name: "instance", value: "host-2" }], -Infinity, Infinity)).toEqual({
      seriesDeleted: 1,
    });
    const p = points(await stub.select(everything));
    expect([...p.keys()].sort()).toEqual(["host-0", "host-1"]);
    expect(p.get("host-0")).toHaveLength(100);
    expect(p.get("host-0")!.some((t) => t >= 50_000 && t < 150_000)).toBe(false);
    expect(await stub.labelValues("instance", { selectors: [[{ type: "=", name: "job", value: "node" }]] })).toEqual([
      "host-0",
      "host-1",
    ]);
  });

  it("answers label names, values, series and stats", async () => {
    const stub = freshShard();
    await stub.append(batch(0, 3, 2));
    expect(await stub.labelNames()).toEqual(["__name__", "instance", "job"]);
    expect(await stub.labelValues("instance")).toEqual(["host-0", "host-1", "host-2"]);
    expect((await stub.series({ selectors: [[{ type: "=", name: "instance", value: "host-1" }]] })).length).toBe(1);
    const stats = await stub.stats();
    expect(stats.headStats.numSeries).toBe(3);
    expect(stats.seriesCountByMetricName).toEqual([{ name: "up", value: 3 }]);
    expect(stats.storage.walRows).toBe(1);
  });
});

describe("SeriesShard group commit", () => {
  it("commits concurrent appends as one WAL row", async () => {
    const stub = freshShard();
    await stub.append(batch(0));
    const before = (await stub.stats()).storage.rowsWritten;
    const results = await Promise.all(
      // Disjoint series per append: concurrent calls may be delivered in any order.
      Array.from({ length: 16 }, (_, b) =>
        stub.append(encodeAppendBatch(batch(1).map((s) => ({ ...s, labels: up(`c${b}-${s.labels[1].value}`) })))),
      ),
    );
    expect(results.every((r) => r.samplesAccepted === 100)).toBe(true);
    // Appends that reach the object together share a row; timing decides how many do, so only require grouping.
    const rows = (await stub.stats()).storage.rowsWritten - before;
    expect(rows).toBeLessThan(16);
    expect(points(await stub.select(everything)).size).toBe(10 + 16 * 10);
  });
});

describe("SeriesShard durability", () => {
  it("sets its alarm for an idle checkpoint after a big append and folds the WAL when the alarm runs", async () => {
    const stub = freshShard();
    // ~20,000 series of one sample each: a WAL of well over 256 KiB, the least that is folded when idle.
    for (let b = 0; b < 4; b++) {
      const series = Array.from({ length: 5_000 }, (_, s) => ({
        labels: up(`host-${b}-${s}`),
        samples: [{ t: 1_000, v: s }],
      }));
      await stub.append(encodeAppendBatch(series));
    }
    const appendedAt = Date.now();
    const storage = (await stub.stats()).storage;
    expect(storage.walBytes).toBeGreaterThan(256 * 1024);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(appendedAt + 5_000);
    expect(alarm!).toBeGreaterThan(appendedAt - 60_000);
    // Before the shard has been idle for 5 s the alarm folds nothing and sets itself again.
    if (Date.now() < alarm!) {
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect((await stub.stats()).storage.walRows).toBe(storage.walRows);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, appendedAt + 5_100 - Date.now())));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.stats()).storage).toMatchObject({ walRows: 0, checkpoints: 1 });
    expect(await stub.labelValues("instance", { limit: 3 })).toEqual(["host-0-0", "host-0-1", "host-0-10"]);
  });

  it("loses no acknowledged sample when a fresh shard opens the same storage mid-stream", async () => {
    const stub = freshShard();
    for (let b = 0; b < 25; b++) await stub.append(batch(b));
    await stub.checkpoint();
    for (let b = 25; b < 37; b++) await stub.append(batch(b));
    const before = await stub.select(everything);
    await runInDurableObject(stub, (_instance, state) => {
      const reopened = Shard.open(new SqliteShardStorage(state.storage), { codec: xorHeadCodec });
      const after = reopened.select(everything);
      expect(points(after)).toEqual(points(before));
      expect(points(after).get("host-9")).toHaveLength(370);
    });
  });

  it("replays the WAL after the object is aborted and called again", async () => {
    const id = env.SERIES_SHARD.newUniqueId();
    let stub = env.SERIES_SHARD.get(id);
    for (let b = 0; b < 13; b++) await stub.append(encodeAppendBatch(batch(b)));
    await stub.checkpoint();
    for (let b = 13; b < 17; b++) await stub.append(batch(b));
    await runInDurableObject(stub, (_instance, state) => {
      state.abort("simulated restart");
    }).catch(() => undefined);
    stub = env.SERIES_SHARD.get(id);
    const p = points(await stub.select(everything));
    expect(p.size).toBe(10);
    expect(p.get("host-5")).toEqual(Array.from({ length: 170 }, (_, i) => i * 1000));
    const next = await stub.append(batch(17));
    expect(next.samplesAccepted).toBe(100);
  });

  it("writes one row per append and keeps the WAL out of the way after a checkpoint", async () => {
    const stub = freshShard();
    await stub.append(batch(0));
    const first = (await stub.stats()).storage.rowsWritten;
    for (let b = 1; b < 13; b++) await stub.append(batch(b));
    expect((await stub.stats()).storage.rowsWritten - first).toBe(12);
    await stub.checkpoint();
    const stats = (await stub.stats()).storage;
    expect(stats.walRows).toBe(0);
    expect(stats.chunkSegments).toBe(1);
  });
});
