import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { catalogKey } from "../block/layout";
import { decodeXorChunk } from "../chunk/xor";
import { labelsOf } from "../labels/label";
import { decodeSelection, type PackedSelection } from "../shard/select-codec";
import type { SeriesShard } from "./series-shard";

const HOUR = 3_600_000;
const STEP = 60_000;
let counter = 0;

function freshShard(): { name: string; stub: DurableObjectStub<SeriesShard> } {
  const name = `blocks-shard-${Date.now()}-${counter++}`;
  return { name, stub: env.SERIES_SHARD.get(env.SERIES_SHARD.idFromName(name)) };
}

function timestamps(answer: PackedSelection): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of decodeSelection(answer)) {
    const ts: number[] = [];
    for (const c of s.chunks) ts.push(...decodeXorChunk(c.data).timestamps);
    out.set(s.labels.find((l) => l.name === "instance")?.value ?? "", ts);
  }
  return out;
}

const all = { matchers: [{ type: "=" as const, name: "job", value: "node" }], mint: -Infinity, maxt: Infinity };

describe("SeriesShard with blocks in R2", () => {
  it("moves closed ranges to R2 on its alarm and keeps answering every sample", async () => {
    const { name, stub } = freshShard();
    // 8 h of 1-minute samples ending 2 h ago: everything but the open chunks is old enough for blocks.
    const start = Math.floor((Date.now() - 10 * HOUR) / (2 * HOUR)) * 2 * HOUR;
    const count = (8 * HOUR) / STEP;
    for (let from = 0; from < count; from += 120) {
      await stub.append(
        ["a", "b"].map((instance) => ({
          labels: labelsOf("__name__", "up", "instance", instance, "job", "node"),
          samples: Array.from({ length: 120 }, (_, i) => ({ t: start + (from + i) * STEP, v: from + i })),
        })),
      );
    }
    await stub.checkpoint();
    const before = timestamps(await stub.select(all));
    expect(before.get("a")).toHaveLength(count);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const catalog = await env.BLOCKS.get(catalogKey(name));
    expect(catalog).not.toBeNull();
    const blocks = JSON.parse((await catalog?.text()) ?? "{}") as {
      blocks: { meta: { stats: { numSamples: number } } }[];
    };
    // Closed ranges became 2 h blocks, which the same pass may already have merged into a 6 h block.
    expect(blocks.blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks.blocks.reduce((n, b) => n + b.meta.stats.numSamples, 0)).toBeGreaterThan(count);
    expect((await stub.closedChunksBefore(start + 6 * HOUR)).series).toEqual([]);

    expect(timestamps(await stub.select(all))).toEqual(before);
    expect(await stub.labelValues("instance")).toEqual(["a", "b"]);
    expect((await stub.series({ selectors: [all.matchers] })).length).toBe(2);

    // Deletes reach the blocks too.
    await stub.deleteSeries([{ type: "=", name: "instance", value: "b" }], start, start + 3 * HOUR);
    const left = timestamps(await stub.select(all)).get("b") ?? [];
    expect(left.every((t) => t > start + 3 * HOUR)).toBe(true);
    expect(left).toHaveLength(count - (3 * HOUR) / STEP - 1);
  });
});
