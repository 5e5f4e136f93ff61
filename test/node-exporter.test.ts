import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startDevServer, type DevServer } from "./dev-server";
import { startPrometheus, type PrometheusServer } from "./prometheus";

/**
 * Debian's node_exporter scraped by edgeprom (through its Scraper Durable Object, configured by
 * `EDGEPROM_CONFIG_YAML`) and by Prometheus 2.42 with the same configuration: both must store the same series, the
 * report series included.
 */
let exporter: ChildProcess;
let edgeprom: DevServer;
let prometheus: PrometheusServer;
let target: string;

async function seriesOf(base: string): Promise<string[]> {
  const since = (Date.now() - 120_000) / 1000;
  const res = await fetch(`${base}/api/v1/series?match[]=${encodeURIComponent('{job="node"}')}&start=${since}`);
  const body = (await res.json()) as { data: Record<string, string>[] };
  return body.data.map((labels) => JSON.stringify(Object.entries(labels).sort())).sort();
}

describe("scraping node_exporter, side by side with Prometheus", () => {
  beforeAll(async () => {
    const port = await freePort();
    target = `127.0.0.1:${port}`;
    exporter = spawn("prometheus-node-exporter", [`--web.listen-address=${target}`, "--log.level=warn"], {
      stdio: "ignore",
    });
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`http://${target}/metrics`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const config = `{global: {scrape_interval: 5s}, scrape_configs: [{job_name: node, static_configs: [{targets: ["${target}"]}]}]}`;
    edgeprom = await startDevServer({ extraArgs: ["--var", `EDGEPROM_CONFIG_YAML:${config}`], skipBuild: true });
    prometheus = await startPrometheus(
      `global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ["${target}"]\n`,
    );
  }, 120_000);

  afterAll(async () => {
    exporter?.kill();
    await edgeprom?.stop();
    await prometheus?.stop();
  });

  it("stores the same series names and label sets as Prometheus", async () => {
    let ours: string[] = [];
    let theirs: string[] = [];
    // Both scrape every 5 s at their own offsets; wait until each has several scrapes and the sets settle.
    for (const started = Date.now(); Date.now() - started < 60_000;) {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      ours = await seriesOf(edgeprom.url);
      theirs = await seriesOf(prometheus.url);
      if (ours.length > 0 && ours.length === theirs.length && ours.every((s, i) => s === theirs[i])) break;
    }
    expect(theirs.length).toBeGreaterThan(100);
    expect(ours.filter((s) => !theirs.includes(s))).toEqual([]);
    expect(theirs.filter((s) => !ours.includes(s))).toEqual([]);
    for (const report of [
      "up",
      "scrape_duration_seconds",
      "scrape_samples_scraped",
      "scrape_samples_post_metric_relabeling",
      "scrape_series_added",
    ]) {
      expect(ours).toContain(
        JSON.stringify([
          ["__name__", report],
          ["instance", target],
          ["job", "node"],
        ]),
      );
    }
  });
});
