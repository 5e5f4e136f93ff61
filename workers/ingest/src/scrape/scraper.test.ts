import { env, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const LOOPBACK = { "CF-Connecting-IP": "127.0.0.1" };

async function api<T>(path: string): Promise<T> {
  const res = await SELF.fetch(`http://edgeprom.test${path}`, { headers: LOOPBACK });
  return ((await res.json()) as { data: T }).data;
}

describe("the Scraper Durable Object", () => {
  it("runs the bundled edgeprom.yml on its alarm and reports targets, pools and the configuration", async () => {
    const scraper = env.SCRAPER.get(env.SCRAPER.idFromName("default"));
    expect(await scraper.ensureRunning()).toBe(true);
    // The alarm may already have fired by itself; running it again here is a scrape whenever it is due.
    await runDurableObjectAlarm(scraper);

    const pools = await api<{ scrapePools: string[] }>("/api/v1/scrape_pools");
    expect(pools.scrapePools).toEqual(["edgeprom"]);
    type Targets = {
      activeTargets: {
        labels: Record<string, string>;
        scrapeUrl: string;
        health: string;
        scrapeInterval: string;
        lastError: string;
      }[];
    };
    // The target's first scrape is at its own offset within the 15 s interval; the object's alarm fires by itself.
    let targets = await api<Targets>("/api/v1/targets");
    for (let waited = 0; targets.activeTargets[0]?.health === "unknown" && waited < 30_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      targets = await api<Targets>("/api/v1/targets");
    }
    expect(targets.activeTargets).toHaveLength(1);
    const target = targets.activeTargets[0]!;
    expect(target).toMatchObject({
      labels: { instance: "127.0.0.1:8787", job: "edgeprom" },
      scrapeUrl: "http://127.0.0.1:8787/metrics",
      scrapeInterval: "15s",
    });
    // Whether 127.0.0.1:8787 answers depends on whether the end-to-end tests' `npm run dev` is up at the same time;
    // either way the target has been scraped, a failure says why, and `up` agrees with the target's health.
    expect(["up", "down"]).toContain(target.health);
    expect(target.lastError === "").toBe(target.health === "up");

    const up = await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
      `/api/v1/query?query=${encodeURIComponent('up{job="edgeprom"}')}`,
    );
    expect(up.result.map((r) => r.value[1])).toEqual([target.health === "up" ? "1" : "0"]);
    const config = await api<{ yaml: string }>("/api/v1/status/config");
    expect(config.yaml).toContain("job_name: edgeprom");
  });
});
