import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import type { Fetcher } from "../discovery/fetcher";
import type { Label } from "../relabel";
import { ScrapePool } from "./scrape-pool";
import { isStaleNaN } from "./stale-nan";

// Real HTTP targets and a real HTTP SD endpoint on 127.0.0.1; the pool's clock is driven by the test.
const pages = new Map<string, { status?: number; contentType?: string; body: string }>();
let server: Server;
let host = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    const page = pages.get(request.url ?? "") ?? { status: 404, body: "" };
    response.writeHead(page.status ?? 200, { "Content-Type": page.contentType ?? "text/plain; version=0.0.4" });
    response.end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const realFetch: Fetcher = (url, init) => fetch(url, init);
const asMap = (labels: readonly Label[]) => Object.fromEntries(labels.map((label) => [label.name, label.value]));
const T0 = 1_700_000_000_000;

function pool(yaml: string): ScrapePool {
  return new ScrapePool(loadConfig(`scrape_configs:\n${yaml}`).scrapeConfigs[0], {
    fetch: realFetch,
    env: {},
    seed: "test",
  });
}

describe("ScrapePool", () => {
  it("schedules, scrapes on time with aligned timestamps and marks vanished series stale", async () => {
    pages.set("/a/metrics", { body: "# TYPE x gauge\nx 1\ny 2\n" });
    const p = pool(
      `  - job_name: a
    scrape_interval: 15s
    metrics_path: /a/metrics
    static_configs: [{ targets: ["HOST"] }]`.replace("HOST", host),
    );
    const first = await p.run(T0);
    expect(first.scrapes).toBe(0);
    const wake = p.nextWakeup();
    expect(wake).toBeGreaterThan(T0);
    expect(wake).toBeLessThanOrEqual(T0 + 15_000);
    expect(p.targets().active[0].health).toBe("unknown");

    const second = await p.run(wake + 1);
    expect(second.scrapes).toBe(1);
    const byName = (batch: typeof second.batch) =>
      Object.fromEntries(batch.map((entry) => [asMap(entry.labels).__name__, entry.samples?.[0]]));
    expect(byName(second.batch)).toMatchObject({ x: { t: wake, v: 1 }, y: { t: wake, v: 2 }, up: { t: wake, v: 1 } });
    const status = p.targets().active[0];
    expect(status).toMatchObject({
      health: "up",
      lastError: "",
      lastScrape: wake,
      scrapeUrl: `http://${host}/a/metrics`,
    });
    expect(p.nextWakeup()).toBe(wake + 15_000);
    expect(await p.run(wake + 14_999)).toMatchObject({ scrapes: 0 });

    pages.set("/a/metrics", { body: "x 3\n" });
    const third = await p.run(wake + 15_000);
    const stale = third.batch.filter((entry) => entry.samples?.some((s) => isStaleNaN(s.v)));
    expect(stale.map((entry) => asMap(entry.labels).__name__)).toEqual(["y"]);

    pages.set("/a/metrics", { status: 503, body: "down" });
    await p.run(wake + 30_000);
    expect(p.targets().active[0]).toMatchObject({
      health: "down",
      lastError: "server returned HTTP status 503 Service Unavailable",
    });
  });

  it("follows HTTP service discovery, keeps the last targets when it fails and stales removed targets", async () => {
    pages.set("/t1", { body: "m 1\n" });
    pages.set("/t2", { body: "m 2\n" });
    pages.set("/sd", {
      contentType: "application/json",
      body: JSON.stringify([
        { targets: [host], labels: { __metrics_path__: "/t1" } },
        { targets: [host], labels: { __metrics_path__: "/t2" } },
      ]),
    });
    const p = pool(
      `  - job_name: sd
    scrape_interval: 10s
    http_sd_configs:
      - url: http://HOST/sd
        refresh_interval: 30s`.replace("HOST", host),
    );
    await p.run(T0);
    expect(
      p
        .targets()
        .active.map((t) => t.scrapeUrl)
        .sort(),
    ).toEqual([`http://${host}/t1`, `http://${host}/t2`]);
    // Scrape both once.
    let now = T0;
    while (p.targets().active.some((t) => t.lastScrape === undefined)) {
      now = p.nextWakeup();
      await p.run(now);
    }

    pages.set("/sd", { status: 500, body: "" });
    const failed = await p.run(T0 + 30_000);
    expect(failed.discoveryErrors).toEqual([
      { provider: "http_sd_configs[0]", error: "server returned HTTP status 500 Internal Server Error" },
    ]);
    expect(p.targets().active).toHaveLength(2);
    expect(p.discoveryStatus()[0].lastError).toBe("server returned HTTP status 500 Internal Server Error");

    pages.set("/sd", {
      contentType: "application/json",
      body: JSON.stringify([{ targets: [host], labels: { __metrics_path__: "/t1" } }]),
    });
    const changed = await p.run(T0 + 60_000);
    expect(p.targets().active.map((t) => t.scrapeUrl)).toEqual([`http://${host}/t1`]);
    // As Prometheus: the removed target's stale markers carry its next scrape time and are written two intervals
    // (plus 10%) later, in case it comes back.
    const isStale = (entry: (typeof changed.batch)[number]) => entry.samples?.every((s) => isStaleNaN(s.v)) ?? false;
    expect(changed.batch.filter(isStale)).toEqual([]);
    let later: typeof changed.batch = [];
    let when = T0 + 60_000;
    while (later.filter(isStale).length === 0 && when < T0 + 200_000) {
      when = p.nextWakeup();
      later = (await p.run(when)).batch;
    }
    const stale = later.filter(isStale);
    expect(stale.map((entry) => asMap(entry.labels).__name__).sort()).toEqual([
      "m",
      "scrape_duration_seconds",
      "scrape_samples_post_metric_relabeling",
      "scrape_samples_scraped",
      "scrape_series_added",
      "up",
    ]);
    const staleTime = stale[0].samples![0].t;
    expect(staleTime).toBeGreaterThanOrEqual(T0 + 60_000);
    expect(staleTime).toBeLessThanOrEqual(T0 + 70_000);
    expect(when).toBeGreaterThanOrEqual(staleTime + 11_000);
  });

  it("writes no stale markers for a target that comes back before they are due", async () => {
    pages.set("/f1", { body: "m 1\n" });
    const both = JSON.stringify([{ targets: [host], labels: { __metrics_path__: "/f1" } }, { targets: [host] }]);
    pages.set("/flap-sd", { contentType: "application/json", body: both });
    const p = pool(
      `  - job_name: flap
    scrape_interval: 10s
    http_sd_configs:
      - url: http://HOST/flap-sd
        refresh_interval: 5s`.replace("HOST", host),
    );
    await p.run(T0);
    while (p.targets().active.some((t) => t.lastScrape === undefined)) await p.run(p.nextWakeup());
    const start = p.nextWakeup();
    pages.set("/flap-sd", { contentType: "application/json", body: JSON.stringify([{ targets: [host] }]) });
    let stale = 0;
    let fewest = Infinity;
    let now = start;
    for (let i = 0; i < 40 && now < start + 60_000; i++) {
      if (now >= start + 6_000) pages.set("/flap-sd", { contentType: "application/json", body: both });
      const run = await p.run(now);
      stale += run.batch.filter((entry) => entry.samples?.some((s) => isStaleNaN(s.v))).length;
      fewest = Math.min(fewest, p.targets().active.length);
      now = p.nextWakeup();
    }
    expect(fewest).toBe(1); // it did go away
    expect(p.targets().active).toHaveLength(2);
    expect(stale).toBe(0);
  });

  it("reports every target down when target_limit is exceeded", async () => {
    pages.set("/lim", { body: "m 1\n" });
    const p = pool(
      `  - job_name: lim
    target_limit: 1
    metrics_path: /lim
    static_configs: [{ targets: ["HOST", "127.0.0.1:1"] }]`.replace("HOST", host),
    );
    await p.run(T0);
    while (p.targets().active.some((t) => t.lastScrape === undefined)) await p.run(p.nextWakeup());
    expect(p.targets().active.map((t) => t.lastError)).toEqual([
      "target_limit exceeded (number of targets: 2, limit: 1)",
      "target_limit exceeded (number of targets: 2, limit: 1)",
    ]);
  });

  it("stop() marks everything stale", async () => {
    pages.set("/stop", { body: "m 1\n" });
    const p = pool(
      `  - job_name: stop
    metrics_path: /stop
    static_configs: [{ targets: ["HOST"] }]`.replace("HOST", host),
    );
    await p.run(T0);
    await p.run(p.nextWakeup());
    const markers = p.stop(T0 + 120_000);
    expect(markers.map((entry) => asMap(entry.labels).__name__)).toContain("m");
    expect(markers.every((entry) => entry.samples?.every((s) => isStaleNaN(s.v) && s.t === T0 + 120_000))).toBe(true);
    expect(p.nextWakeup()).toBe(Infinity);
  });

  it("continues from a JSON snapshot: schedule, discovered targets and staleness", async () => {
    pages.set("/snap", { body: "a 1\nb 2\n" });
    pages.set("/snap-sd", { contentType: "application/json", body: JSON.stringify([{ targets: [host] }]) });
    const config = loadConfig(
      `scrape_configs:
  - job_name: snap
    metrics_path: /snap
    static_configs: [{ targets: ["HOST"], labels: { from: static } }]
    http_sd_configs: [{ url: "http://HOST/snap-sd", refresh_interval: 5m }]`.replaceAll("HOST", host),
    ).scrapeConfigs[0];
    const deps = { fetch: realFetch, env: {}, seed: "test" };
    const first = new ScrapePool(config, deps);
    await first.run(T0);
    while (first.targets().active.some((t) => t.lastScrape === undefined)) await first.run(first.nextWakeup());
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as ReturnType<ScrapePool["snapshot"]>;

    // The SD endpoint is down after the restart: the restored pool still knows its targets.
    pages.set("/snap-sd", { status: 500, body: "" });
    const restored = ScrapePool.restore(config, deps, saved, T0 + 1_000);
    expect(
      restored
        .targets()
        .active.map((t) => [t.scrapeUrl, t.health, t.nextScrape])
        .sort(),
    ).toEqual(
      first
        .targets()
        .active.map((t) => [t.scrapeUrl, t.health, t.nextScrape])
        .sort(),
    );
    expect(restored.nextWakeup()).toBe(first.nextWakeup());

    pages.set("/snap", { body: "a 1\n" });
    const next = await restored.run(restored.nextWakeup());
    const stale = next.batch.filter((entry) => entry.samples?.some((s) => isStaleNaN(s.v)));
    expect(stale.map((entry) => asMap(entry.labels).__name__)).toEqual(["b"]);
  });
});
