import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import type { Fetcher } from "../discovery/fetcher";
import type { Label } from "../relabel";
import { ScrapeManager, scrapeConfigFingerprint } from "./scrape-manager";
import { isStaleNaN } from "./stale-nan";

let server: Server;
let host = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    response.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
    response.end(`path_metric{path="${request.url}"} 1\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const realFetch: Fetcher = (url, init) => fetch(url, init);
const deps = { fetch: realFetch, env: {}, seed: "manager" };
const T0 = 1_700_000_000_000;
const asMap = (labels: readonly Label[]) => Object.fromEntries(labels.map((label) => [label.name, label.value]));

const config = (jobs: string) => loadConfig(`scrape_configs:\n${jobs.replaceAll("HOST", host)}`);
const jobA = `  - job_name: a
    scrape_interval: 10s
    metrics_path: /a
    static_configs: [{ targets: ["HOST"] }]
`;
const jobB = `  - job_name: b
    scrape_interval: 20s
    metrics_path: /b
    static_configs: [{ targets: ["HOST"] }]
`;

async function runUntilScraped(manager: ScrapeManager, from: number): Promise<number> {
  let now = from;
  await manager.run(now);
  while (manager.targets().active.some((target) => target.lastScrape === undefined)) {
    now = manager.nextWakeup();
    await manager.run(now);
  }
  return now;
}

describe("ScrapeManager", () => {
  it("runs every job, keeps unchanged jobs and stops removed ones with stale markers", async () => {
    const manager = new ScrapeManager(deps);
    expect(manager.applyConfig(config(jobA + jobB), T0)).toEqual([]);
    const now = await runUntilScraped(manager, T0);
    expect(
      manager
        .targets()
        .active.map((target) => [target.scrapePool, target.health])
        .sort(),
    ).toEqual([
      ["a", "up"],
      ["b", "up"],
    ]);
    const before = manager.targets().active.find((target) => target.scrapePool === "a")!;

    // Reloading the same file keeps job a's pool as it is; dropping job b marks its series stale.
    const stale = manager.applyConfig(config(jobA), now);
    expect(stale.every((entry) => entry.samples?.every((sample) => isStaleNaN(sample.v)))).toBe(true);
    expect(stale.map((entry) => asMap(entry.labels).__name__)).toContain("path_metric");
    expect(stale.every((entry) => asMap(entry.labels).job === "b")).toBe(true);
    expect(manager.targets().active).toEqual([before]);

    // Changing job a continues its targets: same schedule, same health.
    manager.applyConfig(config(jobA.replace("10s", "10s\n    sample_limit: 100")), now);
    const after = manager.targets().active[0];
    expect([after.nextScrape, after.health, after.lastScrape]).toEqual([
      before.nextScrape,
      before.health,
      before.lastScrape,
    ]);
  });

  it("fingerprints scrape configs by content", () => {
    const first = config(jobA).scrapeConfigs[0];
    expect(scrapeConfigFingerprint(first)).toBe(scrapeConfigFingerprint(config(jobA).scrapeConfigs[0]));
    const relabeled = config(`${jobA}    relabel_configs: [{ regex: "x", action: labeldrop }]\n`).scrapeConfigs[0];
    const otherRegex = config(`${jobA}    relabel_configs: [{ regex: "y", action: labeldrop }]\n`).scrapeConfigs[0];
    expect(scrapeConfigFingerprint(relabeled)).not.toBe(scrapeConfigFingerprint(otherRegex));
    expect(scrapeConfigFingerprint(relabeled)).toContain('"x"');
  });

  it("continues from a JSON snapshot", async () => {
    const manager = new ScrapeManager(deps);
    manager.applyConfig(config(jobA + jobB), T0);
    await runUntilScraped(manager, T0);
    const snapshot = JSON.parse(JSON.stringify(manager.snapshot())) as ReturnType<ScrapeManager["snapshot"]>;
    const restored = ScrapeManager.restore(config(jobA + jobB), deps, snapshot, T0 + 1);
    const view = (m: ScrapeManager) =>
      m.targets().active.map((t) => [t.scrapePool, t.scrapeUrl, t.nextScrape, t.health]);
    expect(view(restored)).toEqual(view(manager));
    expect(restored.nextWakeup()).toBe(manager.nextWakeup());
    const run = await restored.run(restored.nextWakeup());
    expect(run.scrapes).toBe(1);
  });
});
