import { describe, expect, it } from "vitest";
import { loadConfig, type ScrapeConfig } from "../config";
import type { TargetGroup } from "../discovery/target-group";
import type { Label } from "../relabel";
import { buildTargets, discoveredLabels, targetUrl } from "./target";

function job(yaml: string): ScrapeConfig {
  return loadConfig(`scrape_configs:\n${yaml}`).scrapeConfigs[0];
}

const asMap = (labels: readonly Label[]) => Object.fromEntries(labels.map((label) => [label.name, label.value]));

describe("discoveredLabels", () => {
  it("sets Prometheus's special labels under the target's and group's own", () => {
    const config = job(`
  - job_name: node
    scrape_interval: 30s
    params: { module: [a, b], empty: [] }
`);
    const labels = discoveredLabels(config, { __address__: "h:9100", team: "x" }, { team: "group", __meta_dc: "eu" });
    expect(asMap(labels)).toEqual({
      __address__: "h:9100",
      __meta_dc: "eu",
      __metrics_path__: "/metrics",
      __param_module: "a",
      __scheme__: "http",
      __scrape_interval__: "30s",
      __scrape_timeout__: "10s",
      __scrape_native_histograms__: "false",
      __convert_classic_histograms_to_nhcb__: "false",
      __always_scrape_classic_histograms__: "false",
      job: "node",
      team: "x",
    });
    expect(labels.map((label) => label.name)).toEqual([...labels.map((label) => label.name)].sort());
  });

  it("lets a static config override the special labels", () => {
    const config = job(`  - job_name: node`);
    const labels = asMap(discoveredLabels(config, { __address__: "h" }, { job: "other", __scheme__: "https" }));
    expect(labels.job).toBe("other");
    expect(labels.__scheme__).toBe("https");
  });
});

describe("buildTargets", () => {
  const groupsOf = (config: ScrapeConfig): TargetGroup[] => [...config.staticConfigs];

  it("builds targets with instance, public labels and the URL", () => {
    const config = job(`
  - job_name: node
    static_configs: [{ targets: ["10.0.0.1:9100", "10.0.0.2"], labels: { env: prod } }]
`);
    const set = buildTargets(config, groupsOf(config));
    expect(set.active).toHaveLength(2);
    const [first, second] = set.active;
    expect(asMap(first.publicLabels)).toEqual({ env: "prod", instance: "10.0.0.1:9100", job: "node" });
    expect(first.url).toBe("http://10.0.0.1:9100/metrics");
    expect(first.interval).toBe(60_000);
    expect(first.timeout).toBe(10_000);
    // Prometheus 3 adds no default port.
    expect(second.url).toBe("http://10.0.0.2/metrics");
    expect(asMap(second.publicLabels).instance).toBe("10.0.0.2");
    expect(asMap(first.labels).__address__).toBe("10.0.0.1:9100");
  });

  it("applies relabel_configs: the blackbox exporter pattern", () => {
    const config = job(`
  - job_name: blackbox
    metrics_path: /probe
    params: { module: [http_2xx] }
    static_configs: [{ targets: ["example.com", "prometheus.io"] }]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:9115
`);
    const set = buildTargets(config, groupsOf(config));
    expect(set.active.map((target) => target.url)).toEqual([
      "http://127.0.0.1:9115/probe?module=http_2xx&target=example.com",
      "http://127.0.0.1:9115/probe?module=http_2xx&target=prometheus.io",
    ]);
    expect(asMap(set.active[0].publicLabels)).toEqual({ instance: "example.com", job: "blackbox" });
  });

  it("drops targets by relabeling and keeps a bounded list of them", () => {
    const config = job(`
  - job_name: a
    keep_dropped_targets: 1
    static_configs: [{ targets: ["a:1", "b:1", "c:1"] }]
    relabel_configs:
      - source_labels: [__address__]
        regex: "a:1"
        action: keep
`);
    const set = buildTargets(config, groupsOf(config));
    expect(set.active.map((target) => asMap(target.labels).__address__)).toEqual(["a:1"]);
    expect(set.droppedCount).toBe(2);
    expect(set.dropped).toHaveLength(1);
    expect(asMap(set.dropped[0].discoveredLabels).__address__).toBe("b:1");
  });

  it("removes __meta_ labels after relabeling but keeps them usable during it", () => {
    const config = job(`
  - job_name: a
    relabel_configs:
      - source_labels: [__meta_dc]
        target_label: dc
`);
    const set = buildTargets(config, [{ source: "x", targets: [{ __address__: "h:1", __meta_dc: "eu" }], labels: {} }]);
    expect(asMap(set.active[0].labels).__meta_dc).toBeUndefined();
    expect(asMap(set.active[0].publicLabels).dc).toBe("eu");
    expect(asMap(set.active[0].discoveredLabels).__meta_dc).toBe("eu");
  });

  it("reports targets Prometheus cannot scrape", () => {
    const config = job(`
  - job_name: a
    relabel_configs:
      - source_labels: [__tmp_interval]
        regex: (.+)
        target_label: __scrape_interval__
      - source_labels: [__tmp_path]
        regex: (.+)
        target_label: __address__
`);
    const set = buildTargets(config, [
      {
        source: "x",
        targets: [
          { __tmp_other: "no address" },
          { __address__: "h:1", __tmp_interval: "5s" },
          { __address__: "h:2", __tmp_interval: "1 minute" },
          { __address__: "h:3", __tmp_path: "h/x" },
          { __address__: "h:4", __scrape_native_histograms__: "maybe" },
        ],
        labels: {},
      },
    ]);
    expect(set.active).toHaveLength(0);
    expect(set.invalid.map((target) => target.error)).toEqual([
      "no address",
      'scrape timeout cannot be greater than scrape interval ("10s" > "5s")',
      'error parsing scrape interval: not a valid duration string: "1 minute"',
      '"h/x" is not a valid hostname',
      'invalid __scrape_native_histograms__ value "maybe": must be a boolean',
    ]);
  });

  it("honours per-target interval, timeout and histogram overrides", () => {
    const config = job(`  - job_name: a`);
    const set = buildTargets(config, [
      {
        source: "x",
        targets: [
          {
            __address__: "h:1",
            __scrape_interval__: "5s",
            __scrape_timeout__: "1s",
            __scrape_native_histograms__: "T",
          },
        ],
        labels: {},
      },
    ]);
    expect(set.active[0]).toMatchObject({ interval: 5_000, timeout: 1_000, scrapeNativeHistograms: true });
  });

  it("merges identical targets", () => {
    const config = job(`
  - job_name: a
    static_configs: [{ targets: ["h:1", "h:1"] }, { targets: ["h:1"] }]
`);
    expect(buildTargets(config, groupsOf(config)).active).toHaveLength(1);
  });

  it("enforces target_limit", () => {
    const config = job(`
  - job_name: a
    target_limit: 2
    static_configs: [{ targets: ["a:1", "b:1", "c:1"] }]
`);
    expect(buildTargets(config, groupsOf(config)).targetLimitError).toBe(
      "target_limit exceeded (number of targets: 3, limit: 2)",
    );
    const within = job(`
  - job_name: a
    target_limit: 3
    static_configs: [{ targets: ["a:1", "b:1", "c:1"] }]
`);
    expect(buildTargets(within, groupsOf(within)).targetLimitError).toBeUndefined();
  });
});

describe("targetUrl", () => {
  const labels = (map: Record<string, string>): Label[] =>
    Object.entries(map).map(([name, value]) => ({ name, value }));

  it("escapes paths and queries like Go's net/url", () => {
    expect(
      targetUrl(
        new Map([["q", ["a b&c/d?é!*'()"]]]),
        labels({ __scheme__: "https", __address__: "[::1]:9090", __metrics_path__: "/a b/c;d=e!*" }),
      ),
    ).toBe("https://[::1]:9090/a%20b/c;d=e%21%2A?q=a+b%26c%2Fd%3F%C3%A9%21%2A%27%28%29");
  });

  it("lets __param_ labels replace the first configured value and add new parameters", () => {
    expect(
      targetUrl(
        new Map([["a", ["1", "2"]]]),
        labels({ __scheme__: "http", __address__: "h", __metrics_path__: "metrics", __param_a: "x", __param_b: "y" }),
      ),
    ).toBe("http://h/metrics?a=x&a=2&b=y");
  });
});
