import { describe, expect, it } from "vitest";
import type { Queryable, SelectHints, Series } from "../storage";
import { MemoryStorage } from "../storage/memory";
import { STALE_NAN, type LabelMatcher, type Labels } from "../value";
import { Engine } from "./engine";
import { QueryCanceledError, QueryTimeoutError, StorageError, TooManySamplesError } from "./errors";

const labels = (name: string, extra: Record<string, string> = {}): Labels =>
  [{ name: "__name__", value: name }, ...Object.entries(extra).map(([n, v]) => ({ name: n, value: v }))].sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );

function counters(): MemoryStorage {
  const s = new MemoryStorage();
  for (let i = 0; i <= 60; i++) {
    s.appendFloat(labels("http_requests_total", { job: "api" }), i * 15_000, i * 10);
    s.appendFloat(labels("http_requests_total", { job: "web" }), i * 15_000, i * 20);
    s.appendFloat(labels("temperature", { job: "api" }), i * 15_000, 20 + (i % 3));
  }
  return s;
}

/** A storage whose selects resolve after `delayMs`, recording how many were in flight at once. */
class SlowStorage implements Queryable {
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    private readonly inner: Queryable,
    private readonly delayMs: number,
  ) {}
  async select(hints: SelectHints, matchers: readonly LabelMatcher[]): Promise<Series[]> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.inFlight--;
    return this.inner.select(hints, matchers);
  }
}

describe("Engine", () => {
  it("evaluates instant queries with delayed name removal", async () => {
    const res = await new Engine().instantQuery(counters(), "sum by (job) (rate(http_requests_total[1m]))", 600_000);
    expect(res.value.type).toBe("vector");
    if (res.value.type !== "vector") return;
    const byJob = Object.fromEntries(res.value.samples.map((s) => [s.labels[0].value, s.f]));
    expect(byJob).toEqual({ api: expect.closeTo(10 / 15, 9), web: expect.closeTo(20 / 15, 9) });
  });

  it("returns range results sorted by labels with one point per step", async () => {
    const res = await new Engine().rangeQuery(counters(), "http_requests_total", 0, 300_000, 60_000);
    expect(res.value.type).toBe("matrix");
    if (res.value.type !== "matrix") return;
    expect(res.value.series.map((s) => s.labels.find((l) => l.name === "job")?.value)).toEqual(["api", "web"]);
    expect(res.value.series[0].floats.map((p) => p.t)).toEqual([0, 60_000, 120_000, 180_000, 240_000, 300_000]);
    expect(res.value.series[0].floats[2].f).toBe(80);
  });

  it("ends a series at a stale marker", async () => {
    const s = new MemoryStorage();
    s.appendFloat(labels("up"), 0, 1);
    s.appendFloat(labels("up"), 15_000, STALE_NAN);
    const before = await new Engine().instantQuery(s, "up", 10_000);
    const after = await new Engine().instantQuery(s, "up", 20_000);
    expect(before.value.type === "vector" && before.value.samples.length).toBe(1);
    expect(after.value.type === "vector" && after.value.samples.length).toBe(0);
  });

  it("reports Prometheus's info for rate over a non-counter", async () => {
    const res = await new Engine().instantQuery(counters(), "rate(temperature[5m])", 600_000);
    expect(res.infos).toEqual([
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "temperature" (1:6)',
    ]);
  });

  it("fails past the sample limit", async () => {
    await expect(
      new Engine({ maxSamples: 100 }).rangeQuery(counters(), "http_requests_total", 0, 900_000, 15_000),
    ).rejects.toBeInstanceOf(TooManySamplesError);
  });

  it("fetches every selector in parallel before evaluating", async () => {
    const slow = new SlowStorage(counters(), 20);
    const res = await new Engine().instantQuery(slow, "http_requests_total + on(job) temperature * 0", 600_000);
    expect(slow.maxInFlight).toBe(2);
    expect(res.value.type === "vector" && res.value.samples.length).toBe(1);
  });

  it("times out and can be cancelled", async () => {
    const slow = new SlowStorage(counters(), 200);
    await expect(new Engine({ timeout: 20 }).instantQuery(slow, "up", 0)).rejects.toBeInstanceOf(QueryTimeoutError);
    const controller = new AbortController();
    const pending = new Engine().instantQuery(slow, "up", 0, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(QueryCanceledError);
  });

  it("wraps storage failures", async () => {
    const broken: Queryable = {
      select: () => Promise.reject(new Error("shard unavailable")),
    };
    const err = await new Engine().instantQuery(broken, "up", 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).errorType).toBe("internal");
  });

  it("gates experimental functions", async () => {
    await expect(new Engine().instantQuery(counters(), "mad_over_time(temperature[5m])", 600_000)).rejects.toThrow();
    const res = await new Engine({ enableExperimentalFunctions: true }).instantQuery(
      counters(),
      "mad_over_time(temperature[5m])",
      600_000,
    );
    expect(res.value.type === "vector" && res.value.samples.length).toBe(1);
  });
});
