import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { alignScrapeTimestamp, fnv1a64, nextScrapeTime, scrapeOffset } from "./schedule";
import { isStaleNaN, STALE_NAN } from "./stale-nan";

function fnvReference(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

describe("fnv1a64", () => {
  it("matches a BigInt reference", () => {
    for (const text of [
      "",
      "a",
      "foobar",
      "http://h:1/metrics",
      "ünïcödé",
      createHash("md5").update("x").digest("hex"),
    ]) {
      const [high, low] = fnv1a64(text);
      expect((BigInt(high) << 32n) | BigInt(low)).toBe(fnvReference(text));
    }
  });

  it("matches the published FNV-1a 64 test vectors", () => {
    const [high, low] = fnv1a64("foobar");
    expect(((BigInt(high) << 32n) | BigInt(low)).toString(16)).toBe("85944171f73967e8");
  });
});

describe("scrapeOffset", () => {
  it("is stable, within the interval and depends on the seed", () => {
    const offset = scrapeOffset("target-a", 15_000, "seed");
    expect(offset).toBe(scrapeOffset("target-a", 15_000, "seed"));
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(15_000);
    const seeds = new Set(Array.from({ length: 20 }, (_, i) => scrapeOffset("target-a", 15_000, `seed${i}`)));
    expect(seeds.size).toBeGreaterThan(15);
  });

  it("spreads many targets over the interval", () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++)
      buckets[Math.floor(scrapeOffset(`10.0.${i >> 8}.${i & 255}:9100`, 60_000) / 6_000)]++;
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });

  it("is exact for long intervals", () => {
    const [high, low] = fnv1a64("\u0000t");
    const interval = 7 * 24 * 3_600_000;
    expect(scrapeOffset("t", interval)).toBe(Number(((BigInt(high) << 32n) | BigInt(low)) % BigInt(interval)));
  });
});

describe("nextScrapeTime", () => {
  it("returns the next point of the grid strictly after the given time", () => {
    expect(nextScrapeTime(0, 15_000, 3_000)).toBe(3_000);
    expect(nextScrapeTime(2_999, 15_000, 3_000)).toBe(3_000);
    expect(nextScrapeTime(3_000, 15_000, 3_000)).toBe(18_000);
    expect(nextScrapeTime(1_700_000_000_123, 15_000, 3_000) % 15_000).toBe(3_000);
    expect(nextScrapeTime(1_700_000_000_123, 15_000, 3_000)).toBeGreaterThan(1_700_000_000_123);
    expect(nextScrapeTime(1_700_000_000_123, 15_000, 3_000) - 1_700_000_000_123).toBeLessThanOrEqual(15_000);
  });
});

describe("alignScrapeTimestamp", () => {
  it("snaps starts within 2 ms to the schedule", () => {
    expect(alignScrapeTimestamp(15_002, 15_000, 15_000)).toEqual({ timestamp: 15_000, scheduled: 15_000 });
    expect(alignScrapeTimestamp(14_999, 15_000, 15_000).timestamp).toBe(15_000);
    expect(alignScrapeTimestamp(15_003, 15_000, 15_000).timestamp).toBe(15_003);
  });

  it("clamps the tolerance to 1% of the interval", () => {
    expect(alignScrapeTimestamp(102, 100, 100).timestamp).toBe(102);
    expect(alignScrapeTimestamp(101, 100, 100).timestamp).toBe(100);
  });

  it("moves past missed ticks", () => {
    expect(alignScrapeTimestamp(45_001, 15_000, 15_000)).toEqual({ timestamp: 45_000, scheduled: 45_000 });
    expect(alignScrapeTimestamp(45_500, 15_000, 15_000)).toEqual({ timestamp: 45_500, scheduled: 45_000 });
  });
});

describe("STALE_NAN", () => {
  it("is a NaN distinct from an ordinary one", () => {
    expect(Number.isNaN(STALE_NAN)).toBe(true);
    expect(isStaleNaN(STALE_NAN)).toBe(true);
    expect(isStaleNaN(NaN)).toBe(false);
    expect(isStaleNaN(1)).toBe(false);
  });
});
