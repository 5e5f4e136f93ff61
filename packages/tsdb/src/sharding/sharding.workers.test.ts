import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { labelsOf } from "../labels/label";
import { shardCountFrom } from "./shard-rpc";
import { ShardedReader } from "./sharded-reader";
import { ShardedWriter } from "./sharded-writer";

describe("ShardedWriter and ShardedReader over SeriesShard objects", () => {
  it("writes through every shard named by EDGEPROM_SHARDS and reads it back merged", async () => {
    const shards = shardCountFrom(env.EDGEPROM_SHARDS);
    const writer = new ShardedWriter(env.SERIES_SHARD, shards);
    const reader = new ShardedReader(env.SERIES_SHARD, shards);
    const metric = `sharding_test_${Date.now()}`;
    const batch = Array.from({ length: 64 }, (_, i) => ({
      labels: labelsOf("__name__", metric, "instance", `host-${String(i).padStart(2, "0")}`),
      samples: [{ t: 60_000, v: i }],
    }));
    const result = await writer.append(batch);
    expect(result.samplesAccepted).toBe(64);
    const selected = await reader.select({
      matchers: [{ type: "=", name: "__name__", value: metric }],
      mint: 0,
      maxt: 120_000,
    });
    expect(selected.map((s) => s.labels[1].value)).toEqual(batch.map((s) => s.labels[1].value));
    const used = new Set<number>();
    for (let i = 0; i < shards; i++) {
      const stub = env.SERIES_SHARD.get(env.SERIES_SHARD.idFromName(`shard-${i}`));
      const mine = await stub.series({ selectors: [[{ type: "=", name: "__name__", value: metric }]] });
      if (mine.length > 0) used.add(i);
    }
    expect(used.size).toBeGreaterThan(shards / 2);
    expect(
      await reader.labelValues("instance", { selectors: [[{ type: "=", name: "__name__", value: metric }]], limit: 2 }),
    ).toEqual(["host-00", "host-01"]);
  });
});
