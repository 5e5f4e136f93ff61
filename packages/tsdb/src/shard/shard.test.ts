import { describe, expect, it } from "vitest";
import { FloatHistogramChunk } from "../chunk/float-histogram";
import { chunkFromBytes } from "../chunk/from-bytes";
import { HistogramChunk } from "../chunk/histogram";
import { decodeXorChunk } from "../chunk/xor";
import { STALE_NAN } from "../chunk/float-bits";
import { xorHeadCodec } from "../head/xor-head-codec";
import { labelsOf, type Labels } from "../labels/label";
import { encodeAppendBatch } from "../wal/batch-codec";
import type { SeriesAppend } from "../wal/append-batch";
import type { NativeHistogram } from "../wal/histogram-wire";
import { GroupCommitter } from "./group-commit";
import { MemoryShardStorage } from "./memory-shard-storage";
import { SelectTooLargeError, Shard, type ShardOptions } from "./shard";
import type { SelectedSeries } from "./select-types";

const options: ShardOptions = { codec: xorHeadCodec };
const up = (instance: string) => labelsOf("__name__", "up", "job", "node", "instance", instance);

function samples(from: number, count: number, step = 15_000, value = (i: number) => i): { t: number; v: number }[] {
  return Array.from({ length: count }, (_, i) => ({ t: from + i * step, v: value(i) }));
}

/** Every sample of a select result, decoded: series text → [t, v][]. */
function decoded(result: SelectedSeries[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const s of result) {
    const points: [number, number][] = [];
    for (const c of s.chunks) {
      const { timestamps, values } = decodeXorChunk(c.data);
      timestamps.forEach((t, i) => points.push([t, values[i]]));
    }
    out.set(s.labels.map((l) => `${l.name}=${l.value}`).join(","), points);
  }
  return out;
}

function all(shard: Shard, mint = -Infinity, maxt = Infinity): SelectedSeries[] {
  return shard.select({ matchers: [{ type: "=~", name: "__name__", value: ".+" }], mint, maxt });
}

describe("Shard append and select", () => {
  it("keeps samples across open, pending and persisted chunks", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    const series = [up("a"), up("b")];
    // 300 samples a series: two full chunks of 120 and an open one of 60.
    for (let batch = 0; batch < 10; batch++) {
      shard.append(
        series.map((labels) => ({ labels, samples: samples(batch * 30 * 15_000, 30, 15_000, (i) => batch * 30 + i) })),
      );
      if (batch === 5) shard.checkpoint();
    }
    const result = all(shard);
    expect(result.map((s) => s.chunks.length)).toEqual([3, 3]);
    const points = decoded(result).get("__name__=up,instance=a,job=node")!;
    expect(points).toHaveLength(300);
    expect(points[299]).toEqual([299 * 15_000, 299]);
    expect(result[0].chunks.map((c) => [c.mint, c.maxt])).toEqual([
      [0, 119 * 15_000],
      [120 * 15_000, 239 * 15_000],
      [240 * 15_000, 299 * 15_000],
    ]);
    // Time bounds pick only overlapping chunks.
    const narrow = all(shard, 125 * 15_000, 130 * 15_000);
    expect(narrow[0].chunks.map((c) => c.mint)).toEqual([120 * 15_000]);
  });

  it("refuses out-of-order and conflicting duplicate samples, keeps the rest and counts them", () => {
    const shard = Shard.open(new MemoryShardStorage(), options);
    shard.append([
      {
        labels: up("a"),
        samples: [
          { t: 1000, v: 1 },
          { t: 2000, v: 2 },
        ],
      },
    ]);
    const result = shard.append([
      {
        labels: up("a"),
        samples: [
          { t: 1500, v: 9 },
          { t: 2000, v: 2 },
          { t: 2000, v: 3 },
          { t: 3000, v: 3 },
        ],
      },
      { labels: up("b"), samples: [{ t: 500, v: 1 }] },
    ]);
    expect(result.samplesAccepted).toBe(2);
    expect(result.duplicatesIgnored).toBe(1);
    expect(result.seriesCreated).toBe(1);
    expect(result.refused).toEqual({ "out of order sample": 1, "duplicate sample for timestamp": 1 });
    expect(result.examples.map((e) => [e.category, e.t])).toEqual([
      ["out of order sample", 1500],
      ["duplicate sample for timestamp", 2000],
    ]);
    expect(result.examples[0].series).toBe('{__name__="up", instance="a", job="node"}');
    expect(decoded(all(shard)).get("__name__=up,instance=a,job=node")).toEqual([
      [1000, 1],
      [2000, 2],
      [3000, 3],
    ]);
  });

  it("refuses series with invalid labels without failing the batch", () => {
    const shard = Shard.open(new MemoryShardStorage(), options);
    const result = shard.append([
      { labels: [{ name: "job", value: "x" }], samples: samples(0, 3) },
      { labels: up("a"), samples: samples(0, 2) },
    ]);
    expect(result.samplesAccepted).toBe(2);
    expect(result.refused["invalid labels"]).toBe(3);
    expect(shard.seriesCount).toBe(1);
  });

  it("cuts chunks at 2h boundaries and at 120 samples", () => {
    const shard = Shard.open(new MemoryShardStorage(), options);
    const twoHours = 2 * 3600_000;
    shard.append([
      {
        labels: up("a"),
        samples: [{ t: twoHours - 60_000, v: 1 }, { t: twoHours, v: 2 }, ...samples(twoHours + 1, 130, 1)],
      },
    ]);
    const chunks = all(shard)[0].chunks;
    expect(chunks.map((c) => decodeXorChunk(c.data).timestamps.length)).toEqual([1, 120, 11]);
  });

  it("keeps the stale marker's bits", () => {
    const shard = Shard.open(new MemoryShardStorage(), options);
    shard.append(
      encodeAppendBatch([
        {
          labels: up("a"),
          samples: [
            { t: 1, v: 1 },
            { t: 2, v: STALE_NAN },
          ],
        },
      ]),
    );
    const { values } = decodeXorChunk(all(shard)[0].chunks[0].data);
    const words = new Uint32Array(values.buffer);
    expect([words[3].toString(16), words[2]]).toEqual(["7ff00000", 2]);
  });
});

describe("Shard durability", () => {
  const batches: SeriesAppend[][] = Array.from({ length: 40 }, (_, b) =>
    Array.from({ length: 20 }, (_, s) => ({
      labels: up(`host-${s}`),
      samples: samples(b * 10 * 1000, 10, 1000, (i) => b * 10 + i + s),
    })),
  );

  it("rebuilds exactly the same data from WAL, snapshots and segments after a restart at any point", () => {
    for (const restartAfter of [0, 7, 13, 39]) {
      const storage = new MemoryShardStorage();
      const first = Shard.open(storage, { ...options, checkpoint: { maxWalRows: 5 } });
      for (let b = 0; b <= restartAfter; b++) first.append(encodeAppendBatch(batches[b]));
      const reopened = Shard.open(storage, { ...options, checkpoint: { maxWalRows: 5 } });
      expect(decoded(all(reopened))).toEqual(decoded(all(first)));
      for (let b = restartAfter + 1; b < batches.length; b++) reopened.append(batches[b]);
      const points = decoded(all(reopened));
      expect(points.size).toBe(20);
      expect(points.get("__name__=up,instance=host-3,job=node")).toHaveLength(400);
    }
  });

  it("selects one series out of persisted segments by reading only its byte span", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, { ...options, checkpoint: { maxWalRows: 4 } });
    for (const b of batches) shard.append(b);
    shard.checkpoint();
    const full = decoded(all(shard));
    for (const host of ["host-0", "host-7", "host-19"]) {
      const one = shard.select({
        matchers: [{ type: "=", name: "instance", value: host }],
        mint: -Infinity,
        maxt: Infinity,
      });
      expect(one[0].chunks.length).toBeGreaterThan(1);
      expect(decoded(one).get(`__name__=up,instance=${host},job=node`)).toEqual(
        full.get(`__name__=up,instance=${host},job=node`),
      );
    }
  });

  it("refuses a select larger than its byte limit with a clear error", () => {
    const shard = Shard.open(new MemoryShardStorage(), options);
    for (const b of batches) shard.append(b);
    shard.checkpoint();
    const request = { matchers: [{ type: "=" as const, name: "job", value: "node" }], mint: -Infinity, maxt: Infinity };
    expect(() => shard.select({ ...request, limitBytes: 500 })).toThrow(SelectTooLargeError);
    expect(() => shard.select({ ...request, limitBytes: 500 })).toThrow(/narrow the selector or the time range/);
    expect(shard.select(request)).toHaveLength(20);
  });

  it("replays refusals the same way", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    shard.append([{ labels: up("a"), samples: [{ t: 10, v: 1 }] }]);
    shard.append([
      {
        labels: up("a"),
        samples: [
          { t: 5, v: 1 },
          { t: 20, v: 2 },
          { t: 20, v: 7 },
        ],
      },
    ]);
    const reopened = Shard.open(storage, options);
    expect(decoded(all(reopened))).toEqual(decoded(all(shard)));
  });

  it("writes one WAL row per append and few rows per checkpoint", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    const before = storage.rowsWritten;
    for (let b = 0; b < 15; b++) shard.append(batches[b]);
    expect(storage.rowsWritten - before).toBe(15);
    shard.checkpoint();
    // One chunk segment (20 chunks of 120 samples), one series segment, one snapshot part, the meta row.
    expect(storage.rowsWritten - before).toBe(19);
  });

  it("checkpoints when the oldest WAL row reaches the age limit, on append or when asked by the alarm", () => {
    let clock = 0;
    const shard = Shard.open(new MemoryShardStorage(), {
      ...options,
      now: () => clock,
      checkpoint: { maxWalAgeMs: 60_000 },
    });
    expect(shard.checkpointDeadline()).toBeNull();
    shard.append(batches[0]);
    expect(shard.checkpointDeadline()).toBe(60_000);
    clock = 30_000;
    shard.append(batches[1]);
    expect(shard.checkpointIfDue()).toBe(false);
    clock = 61_000;
    expect(shard.checkpointIfDue()).toBe(true);
    expect(shard.stats().storage).toMatchObject({ walRows: 0, checkpoints: 1 });
    expect(shard.checkpointDeadline()).toBeNull();
    shard.append(batches[2]);
    clock = 200_000;
    shard.append(batches[3]); // due on this append
    expect(shard.stats().storage).toMatchObject({ walRows: 0, checkpoints: 2 });
  });

  it("checkpoints from the alarm once appends stop and the WAL is big enough, and after a restart at once", () => {
    let clock = 0;
    const storage = new MemoryShardStorage();
    const policy = { idleCheckpointMs: 5_000, idleCheckpointMinWalBytes: 2_000 };
    const shard = Shard.open(storage, { ...options, now: () => clock, checkpoint: policy });
    shard.append([{ labels: up("a"), samples: samples(0, 10) }]);
    expect(shard.idleCheckpointAt()).toBeNull(); // a small WAL replays in no time
    for (let i = 1; i <= 40; i++) {
      clock = i * 100;
      shard.append([{ labels: up("a"), samples: samples(i * 150_000, 10) }]);
    }
    expect(shard.stats().storage.walBytes).toBeGreaterThan(2_000);
    expect(shard.idleCheckpointAt()).toBe(4_000 + 5_000);
    clock = 8_999;
    expect(shard.checkpointIfDue()).toBe(false);
    // Not yet idle: a restart now would replay the WAL, and the reopened shard asks to fold it at once.
    const reopened = Shard.open(storage, { ...options, now: () => clock, checkpoint: policy });
    expect(reopened.idleCheckpointAt()).toBe(8_999);
    clock = 9_000;
    expect(shard.checkpointIfDue()).toBe(true);
    expect(shard.stats().storage).toMatchObject({ walRows: 0, checkpoints: 1 });
    expect(shard.idleCheckpointAt()).toBeNull();
    expect(decoded(all(Shard.open(storage, options))).get("__name__=up,instance=a,job=node")).toHaveLength(410);
  });

  it("answers selects from the segments a checkpoint wrote without reading them back, and reads once after a restart", () => {
    const storage = new MemoryShardStorage();
    const reads: string[] = [];
    const readData = storage.readChunkSegmentData.bind(storage);
    const readRange = storage.readChunkSegmentRange.bind(storage);
    let inRange = false;
    storage.readChunkSegmentData = (id) => {
      if (!inRange) reads.push(`data ${id}`);
      return readData(id);
    };
    storage.readChunkSegmentRange = (id, offset, length) => {
      reads.push(`range ${id}`);
      inRange = true; // the memory storage reads a range through readChunkSegmentData
      try {
        return readRange(id, offset, length);
      } finally {
        inRange = false;
      }
    };
    const shard = Shard.open(storage, options);
    for (let b = 0; b < 20; b++) shard.append(batches[b]);
    const before = decoded(all(shard));
    shard.checkpoint();
    expect(decoded(all(shard))).toEqual(before);
    expect(reads).toEqual([]);

    const restarted = Shard.open(storage, options);
    expect(decoded(all(restarted))).toEqual(before);
    const firstReads = reads.length;
    expect(firstReads).toBeGreaterThan(0);
    expect(reads.every((r) => r.startsWith("data"))).toBe(true);
    expect(decoded(all(restarted))).toEqual(before);
    expect(reads.length).toBe(firstReads);

    // Without a cache, selects read only the byte ranges they need, every time.
    const uncached = Shard.open(storage, { ...options, segmentCacheBytes: 0 });
    reads.length = 0;
    expect(decoded(all(uncached))).toEqual(before);
    expect(decoded(all(uncached))).toEqual(before);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.startsWith("range"))).toBe(true);
  });

  it("leaves storage unchanged when a checkpoint fails and keeps its chunks pending", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    for (let b = 0; b < 20; b++) shard.append(batches[b]);
    const original = storage.writeMeta.bind(storage);
    storage.writeMeta = () => {
      throw new Error("disk full");
    };
    expect(() => shard.checkpoint()).toThrow("disk full");
    storage.writeMeta = original;
    expect(decoded(all(Shard.open(storage, options)))).toEqual(decoded(all(shard)));
    shard.checkpoint();
    expect(decoded(all(Shard.open(storage, options)))).toEqual(decoded(all(shard)));
  });
});

describe("GroupCommitter", () => {
  it("writes appends that arrive together as one WAL row and answers each with its own result", async () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    const busy = () => 1000; // every append arrives at the same instant: the shard is under load
    const committer = new GroupCommitter(
      () => shard,
      (fn) => setTimeout(fn, 0),
      { now: busy },
    );
    await committer.append([{ labels: up("c"), samples: samples(0, 1) }]);
    const before = storage.rowsWritten;
    const results = await Promise.all([
      committer.append([{ labels: up("a"), samples: samples(0, 3) }]),
      committer.append(encodeAppendBatch([{ labels: up("b"), samples: samples(0, 2) }])),
      committer.append([{ labels: up("a"), samples: [{ t: 30_000, v: 5 }] }]),
    ]);
    expect(storage.rowsWritten - before).toBe(1);
    expect(results.map((r) => r.samplesAccepted)).toEqual([3, 2, 0]);
    expect(results[2].refused).toEqual({ "duplicate sample for timestamp": 1 });
    // The grouped record replays to the same head.
    expect(decoded(all(Shard.open(storage, options)))).toEqual(decoded(all(shard)));
    await expect(committer.append(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not an encoded append batch/);
  });

  it("commits at once when the shard is idle", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    let clock = 0;
    const committer = new GroupCommitter(
      () => shard,
      () => {
        throw new Error("an idle shard must not defer");
      },
      { now: () => (clock += 10), idleMs: 5 },
    );
    void committer.append([{ labels: up("a"), samples: samples(0, 1) }]);
    void committer.append([{ labels: up("a"), samples: samples(15_000, 1) }]);
    // Both were written before append returned: no turn of the event loop was needed.
    expect(storage.rowsWritten).toBe(3);
    expect(shard.stats().headStats.maxTime).toBe(15_000);
  });

  it("rejects every member of a group whose WAL write fails", async () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    const committer = new GroupCommitter(
      () => shard,
      (fn) => setTimeout(fn, 0),
      { now: () => 0 },
    );
    storage.appendWal = () => {
      throw new Error("SQLITE_FULL");
    };
    const results = await Promise.allSettled([
      committer.append([{ labels: up("a"), samples: samples(0, 1) }]),
      committer.append([{ labels: up("b"), samples: samples(0, 1) }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(shard.seriesCount).toBe(0);
  });
});

describe("Shard metadata, stats and deletion", () => {
  function populated(): Shard {
    const shard = Shard.open(new MemoryShardStorage(), options);
    shard.append([
      { labels: up("a"), samples: samples(0, 10) },
      { labels: up("b"), samples: samples(1_000_000, 10) },
      { labels: labelsOf("__name__", "http_requests_total", "job", "api", "code", "200"), samples: samples(0, 10) },
    ]);
    return shard;
  }

  it("answers label names, values and series with matchers and time bounds", () => {
    const shard = populated();
    expect(shard.labelNames()).toEqual(["__name__", "code", "instance", "job"]);
    expect(shard.labelNames({ selectors: [[{ type: "=", name: "job", value: "node" }]] })).toEqual([
      "__name__",
      "instance",
      "job",
    ]);
    expect(shard.labelValues("instance")).toEqual(["a", "b"]);
    expect(shard.labelValues("instance", { mint: 900_000, maxt: 2_000_000 })).toEqual(["b"]);
    expect(shard.labelValues("job", { limit: 1 })).toEqual(["api"]);
    const series: Labels[] = shard.series({
      selectors: [[{ type: "=", name: "instance", value: "a" }], [{ type: "=", name: "code", value: "200" }]],
    });
    expect(series.map((l) => l.find((x) => x.name === "__name__")?.value)).toEqual(["http_requests_total", "up"]);
  });

  it("reports cardinality statistics", () => {
    const stats = populated().stats();
    expect(stats.headStats).toEqual({
      numSeries: 3,
      numLabelPairs: 7,
      chunkCount: 3,
      minTime: 0,
      maxTime: 1_000_000 + 9 * 15_000,
    });
    expect(stats.seriesCountByMetricName).toEqual([
      { name: "up", value: 2 },
      { name: "http_requests_total", value: 1 },
    ]);
  });

  it("hides deleted samples from select and survives a restart", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    shard.append([
      { labels: up("a"), samples: samples(0, 200, 1000) },
      { labels: up("b"), samples: samples(0, 5, 1000) },
    ]);
    expect(shard.deleteSeries([{ type: "=", name: "instance", value: "a" }], 50_000, 149_000)).toEqual({
      seriesDeleted: 1,
    });
    expect(shard.deleteSeries([{ type: "=", name: "instance", value: "b" }], -Infinity, Infinity)).toEqual({
      seriesDeleted: 1,
    });
    for (const s of [shard, Shard.open(storage, options)]) {
      const points = decoded(all(s));
      expect([...points.keys()]).toEqual(["__name__=up,instance=a,job=node"]);
      const times = points.get("__name__=up,instance=a,job=node")!.map(([t]) => t);
      expect(times).toHaveLength(100);
      expect(times.some((t) => t >= 50_000 && t <= 149_000)).toBe(false);
      expect(s.series({}).length).toBe(1);
    }
  });
});

describe("Shard block compaction hooks", () => {
  it("closes the open chunk of a series idle for an hour of data time and forgets it once compacted", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    const hour = 3600_000;
    shard.append([{ labels: up("gone"), samples: samples(0, 10) }]);
    shard.append([{ labels: up("live"), samples: samples(0, 4 * 240, 15_000) }]); // up to 4h
    shard.checkpoint();
    // The idle series' chunk (range 0-2h, data time now ~4h) went to a segment.
    expect(all(shard).find((s) => s.labels[1].value === "gone")?.chunks).toHaveLength(1);
    const compactable = shard.closedChunksBefore(2 * hour);
    expect(compactable.series.map((s) => s.labels[1].value)).toEqual(["gone", "live"]);
    expect(shard.dropCompacted(compactable.segmentIds)).toEqual({
      segmentsDropped: compactable.segmentIds.length,
      seriesCollected: 1,
    });
    expect(shard.series({}).map((l) => l[1].value)).toEqual(["live"]);
    shard.checkpoint();
    const reopened = Shard.open(storage, options);
    expect(reopened.series({}).map((l) => l[1].value)).toEqual(["live"]);
    expect(reopened.seriesCount).toBe(1);
    // The series can come back; it is a new series then.
    expect(reopened.append([{ labels: up("gone"), samples: samples(5 * hour, 1) }]).seriesCreated).toBe(1);
  });

  it("lists persisted chunks before a time and drops them once compacted", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    const twoHours = 2 * 3600_000;
    shard.append([{ labels: up("a"), samples: samples(0, 500, 30_000) }]); // 0 .. ~4.2h
    shard.checkpoint();
    const compactable = shard.closedChunksBefore(twoHours);
    expect(compactable.series).toHaveLength(1);
    expect(compactable.series[0].chunks.every((c) => c.maxt < twoHours)).toBe(true);
    expect(compactable.series[0].chunks.reduce((n, c) => n + decodeXorChunk(c.data).timestamps.length, 0)).toBe(240);
    expect(shard.dropCompacted(compactable.segmentIds)).toEqual({
      segmentsDropped: compactable.segmentIds.length,
      seriesCollected: 0,
    });
    const left = decoded(all(Shard.open(storage, options))).get("__name__=up,instance=a,job=node")!;
    expect(left[0][0]).toBeGreaterThanOrEqual(twoHours);
  });
});

describe("Shard native histograms", () => {
  const hist = (count: number, isFloat = false): NativeHistogram => ({
    isFloat,
    schema: 0,
    zeroThreshold: 1e-128,
    zeroCount: 1,
    count,
    sum: count * 1.5,
    positiveSpans: [{ offset: 0, length: 2 }],
    positiveBuckets: [count - 1 - Math.floor((count - 1) / 2), Math.floor((count - 1) / 2)],
    negativeSpans: [],
    negativeBuckets: [],
    counterResetHint: "unknown",
  });

  function histogramCounts(result: SelectedSeries[]): { encoding: number; counts: number[] }[] {
    return result[0].chunks.map((c) => {
      const chunk = chunkFromBytes(c.encoding, c.data);
      const counts: number[] = [];
      if (chunk instanceof HistogramChunk) {
        const it = chunk.iterator();
        while (it.next()) counts.push(it.atHistogram().count);
      } else if (chunk instanceof FloatHistogramChunk) {
        const it = chunk.iterator();
        while (it.next()) counts.push(it.atFloatHistogram().count);
      }
      return { encoding: c.encoding, counts };
    });
  }

  it("stores integer and float histograms in histogram chunks, cutting on a counter reset and a kind change", () => {
    const storage = new MemoryShardStorage();
    const shard = Shard.open(storage, options);
    const labels = labelsOf("__name__", "rpc_latency_seconds", "job", "api");
    const first = shard.append([{ labels, histograms: [10, 20, 30].map((c, i) => ({ t: i * 1000, h: hist(c) })) }]);
    expect(first.histogramsAccepted).toBe(3);
    // A lower count is a counter reset: a new chunk.
    shard.append([{ labels, histograms: [{ t: 3000, h: hist(5) }] }]);
    shard.checkpoint();
    shard.append([
      {
        labels,
        histograms: [
          { t: 4000, h: hist(6.5, true) },
          { t: 5000, h: hist(8.5, true) },
        ],
      },
    ]);
    const expected = [
      { encoding: 2, counts: [10, 20, 30] },
      { encoding: 2, counts: [5] },
      { encoding: 3, counts: [6.5, 8.5] },
    ];
    expect(histogramCounts(all(shard))).toEqual(expected);
    expect(histogramCounts(all(Shard.open(storage, options)))).toEqual(expected);
  });

  it("ignores an identical resend and refuses a different histogram at the same time", () => {
    const shard = Shard.open(new MemoryShardStorage(), options);
    const labels = labelsOf("__name__", "h", "job", "api");
    shard.append([{ labels, histograms: [{ t: 1000, h: hist(10) }] }]);
    const result = shard.append([
      {
        labels,
        histograms: [
          { t: 1000, h: hist(10) },
          { t: 1000, h: hist(11) },
          { t: 500, h: hist(12) },
        ],
      },
    ]);
    expect(result.duplicatesIgnored).toBe(1);
    expect(result.refused).toEqual({ "duplicate sample for timestamp": 1, "out of order sample": 1 });
  });

  it("refuses a histogram whose spans and buckets disagree, keeping the rest", () => {
    const shard = Shard.open(new MemoryShardStorage(), options);
    const labels = labelsOf("__name__", "h", "job", "api");
    const bad = { ...hist(10), positiveBuckets: [1, 2, 3] };
    const result = shard.append([
      {
        labels,
        histograms: [
          { t: 1000, h: bad },
          { t: 2000, h: hist(10) },
        ],
      },
    ]);
    expect(result.refused["invalid histogram"]).toBe(1);
    expect(result.histogramsAccepted).toBe(1);
  });
});
