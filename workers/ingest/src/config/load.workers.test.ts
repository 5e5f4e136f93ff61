import { describe, expect, it } from "vitest";
import { buildTargets, scrapeOffset } from "../scrape";
import { hashMod } from "../relabel";
import { loadConfig } from "./load";

// The configuration path must work inside workerd too: the `yaml` package's Workers build, re2js and the MD5 code.
describe("loading edgeprom.yml inside workerd", () => {
  it("parses, validates and builds relabeled targets", () => {
    const config = loadConfig(
      `
global: { scrape_interval: 15s, external_labels: { region: "\${REGION}" } }
scrape_configs:
  - job_name: node
    static_configs: [{ targets: ["a:9100", "b:9100"] }]
    relabel_configs:
      - source_labels: [__address__]
        regex: "([^:]+):.*"
        target_label: host
      - source_labels: [__address__]
        target_label: shard
        modulus: 1000
        action: hashmod
`,
      { env: { REGION: "eu" } },
    );
    expect(config.global.externalLabels).toEqual([{ name: "region", value: "eu" }]);
    const [job] = config.scrapeConfigs;
    const targets = buildTargets(job, job.staticConfigs).active;
    expect(targets.map((target) => target.url)).toEqual(["http://a:9100/metrics", "http://b:9100/metrics"]);
    expect(targets[0].publicLabels).toEqual([
      { name: "host", value: "a" },
      { name: "instance", value: "a:9100" },
      { name: "job", value: "node" },
      { name: "shard", value: String(hashMod("a:9100", 1000)) },
    ]);
    expect(hashMod("baz", 1000)).toBe(976);
    expect(scrapeOffset(targets[0].key, 15_000)).toBeLessThan(15_000);
  });

  it("reports errors with their field path", () => {
    expect(() => loadConfig("scrape_configs: [{ job_name: a, relabel_configs: [{ action: foo }] }]")).toThrow(
      'scrape_configs[0].relabel_configs[0].action: unknown relabel action "foo"',
    );
  });
});
