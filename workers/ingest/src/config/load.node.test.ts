import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error";
import { loadConfig } from "./load";
import { MissingSecretError, resolveSecret } from "./secret";

function errorOf(text: string): ConfigError {
  try {
    loadConfig(text);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig: defaults", () => {
  it("applies Prometheus's global defaults to an empty file", () => {
    const config = loadConfig("");
    expect(config.global.scrapeInterval).toBe(60_000);
    expect(config.global.scrapeTimeout).toBe(10_000);
    expect(config.global.evaluationInterval).toBe(60_000);
    expect(config.global.externalLabels).toEqual([]);
    expect(config.global.metricNameValidationScheme).toBe("utf8");
    expect(config.scrapeConfigs).toEqual([]);
    expect(config.ruleFiles).toEqual([]);
  });

  it("gives scrape configs the global values and Prometheus's field defaults", () => {
    const config = loadConfig(`
global:
  scrape_interval: 15s
  sample_limit: 1000
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ["a:9100", "b:9100"]
        labels: { env: prod }
`);
    const [job] = config.scrapeConfigs;
    expect(job.jobName).toBe("node");
    expect(job.scrapeInterval).toBe(15_000);
    expect(job.scrapeTimeout).toBe(10_000);
    expect(job.metricsPath).toBe("/metrics");
    expect(job.scheme).toBe("http");
    expect(job.honorLabels).toBe(false);
    expect(job.honorTimestamps).toBe(true);
    expect(job.enableCompression).toBe(true);
    expect(job.sampleLimit).toBe(1000);
    expect(job.bodySizeLimit).toBe(0);
    expect(job.scrapeProtocols).toEqual([
      "OpenMetricsText1.0.0",
      "OpenMetricsText0.0.1",
      "PrometheusText1.0.0",
      "PrometheusText0.0.4",
    ]);
    expect(job.staticConfigs).toEqual([
      { source: "0", targets: [{ __address__: "a:9100" }, { __address__: "b:9100" }], labels: { env: "prod" } },
    ]);
  });

  it("caps the default timeout at a short interval", () => {
    const config = loadConfig(`
global: { scrape_interval: 5s }
scrape_configs:
  - job_name: a
  - job_name: b
    scrape_interval: 2s
`);
    expect(config.global.scrapeTimeout).toBe(5_000);
    expect(config.scrapeConfigs[0].scrapeTimeout).toBe(5_000);
    expect(config.scrapeConfigs[1].scrapeTimeout).toBe(2_000);
  });

  it("reads every supported scrape field", () => {
    const config = loadConfig(`
scrape_configs:
  - job_name: full
    scrape_interval: 30s
    scrape_timeout: 20s
    scrape_protocols: [PrometheusText0.0.4]
    fallback_scrape_protocol: PrometheusText0.0.4
    metrics_path: /probe
    scheme: https
    params:
      module: [http_2xx]
      target: ["a", "b"]
    honor_labels: true
    honor_timestamps: false
    track_timestamps_staleness: true
    enable_compression: false
    follow_redirects: false
    enable_http2: true
    basic_auth: { username: u, password: "\${SCRAPE_PASSWORD}" }
    http_headers:
      X-Tenant: { values: [one], secrets: ["\${TENANT_KEY}"] }
    body_size_limit: 10MB
    sample_limit: 1
    label_limit: 2
    label_name_length_limit: 3
    label_value_length_limit: 4
    target_limit: 5
    keep_dropped_targets: 6
    metric_name_validation_scheme: legacy
    native_histogram_bucket_limit: 160
    native_histogram_min_bucket_factor: 1.1
    scrape_native_histograms: true
    convert_classic_histograms_to_nhcb: true
    always_scrape_classic_histograms: true
    extra_scrape_metrics: true
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: go_.*
        action: drop
`);
    const job = config.scrapeConfigs[0];
    expect(job).toMatchObject({
      scrapeInterval: 30_000,
      scrapeTimeout: 20_000,
      scrapeProtocols: ["PrometheusText0.0.4"],
      fallbackScrapeProtocol: "PrometheusText0.0.4",
      metricsPath: "/probe",
      scheme: "https",
      honorLabels: true,
      honorTimestamps: false,
      trackTimestampsStaleness: true,
      enableCompression: false,
      bodySizeLimit: 10 * 1024 * 1024,
      sampleLimit: 1,
      labelLimit: 2,
      labelNameLengthLimit: 3,
      labelValueLengthLimit: 4,
      targetLimit: 5,
      keepDroppedTargets: 6,
      metricNameValidationScheme: "legacy",
      metricNameEscapingScheme: "underscores",
      nativeHistogramBucketLimit: 160,
      nativeHistogramMinBucketFactor: 1.1,
      scrapeNativeHistograms: true,
      convertClassicHistogramsToNhcb: true,
      alwaysScrapeClassicHistograms: true,
      extraScrapeMetrics: true,
    });
    expect([...job.params]).toEqual([
      ["module", ["http_2xx"]],
      ["target", ["a", "b"]],
    ]);
    expect(job.http.followRedirects).toBe(false);
    expect(job.http.basicAuth).toEqual({ username: "u", password: { kind: "env", name: "SCRAPE_PASSWORD" } });
    expect(job.http.headers.get("X-Tenant")).toEqual({
      values: ["one"],
      secrets: [{ kind: "env", name: "TENANT_KEY" }],
    });
    expect(job.relabelConfigs[0].targetLabel).toBe("__param_target");
    expect(job.metricRelabelConfigs[0].action).toBe("drop");
  });

  it("keeps rule_files, alerting, otlp and storage for later", () => {
    const config = loadConfig(`
rule_files: [rules/*.yml]
alerting:
  alert_relabel_configs:
    - regex: replica
      action: labeldrop
  alertmanagers:
    - static_configs: [{ targets: ["am:9093"] }]
otlp:
  promote_resource_attributes: [service.name]
storage:
  tsdb: { out_of_order_time_window: 10m }
`);
    expect(config.ruleFiles).toEqual(["rules/*.yml"]);
    expect(config.alerting.alertRelabelConfigs[0].action).toBe("labeldrop");
    expect(config.alerting.alertmanagers).toEqual([{ static_configs: [{ targets: ["am:9093"] }] }]);
    expect(config.otlp).toEqual({ promote_resource_attributes: ["service.name"] });
    expect(config.storage).toEqual({ tsdb: { out_of_order_time_window: "10m" } });
  });

  it("keeps string fields as written, whatever YAML would guess", () => {
    const config = loadConfig(`
scrape_configs:
  - job_name: 123
    static_configs: [{ targets: ["h:1"], labels: { on: yes, n: 1.50 } }]
    relabel_configs:
      - target_label: t
        replacement: 010
      - target_label: u
        replacement: ''
      - target_label: v
        replacement:
`);
    const job = config.scrapeConfigs[0];
    expect(job.jobName).toBe("123");
    expect(job.staticConfigs[0].labels).toEqual({ on: "yes", n: "1.50" });
    expect(job.relabelConfigs.map((rule) => rule.replacement)).toEqual(["010", "", ""]);
  });
});

describe("loadConfig: YAML anchors and merge keys", () => {
  it("supports anchors, aliases and `<<` merges as Go's YAML decoder does", () => {
    const config = loadConfig(`
scrape_configs:
  - &defaults
    job_name: one
    scrape_interval: 30s
    metrics_path: /m
  - <<: *defaults
    job_name: two
  - <<: [{ job_name: three, scheme: https }, *defaults]
`);
    expect(config.scrapeConfigs.map((job) => [job.jobName, job.scrapeInterval, job.metricsPath, job.scheme])).toEqual([
      ["one", 30_000, "/m", "http"],
      ["two", 30_000, "/m", "http"],
      ["three", 30_000, "/m", "https"],
    ]);
  });
});

describe("loadConfig: errors name the field", () => {
  it("reports an unknown relabel action at its path", () => {
    const err = errorOf(`
scrape_configs:
  - job_name: a
  - job_name: b
    relabel_configs:
      - action: foo
`);
    expect(err.message).toBe('scrape_configs[1].relabel_configs[0].action: unknown relabel action "foo"');
  });

  it("reports relabel validation failures", () => {
    expect(
      errorOf(`
scrape_configs:
  - job_name: a
    metric_relabel_configs:
      - action: hashmod
        target_label: x
`).message,
    ).toBe(
      "scrape_configs[0].metric_relabel_configs[0].modulus: relabel configuration for hashmod requires non-zero modulus",
    );
    expect(
      errorOf(`
scrape_configs:
  - job_name: a
    relabel_configs:
      - regex: "(("
`).path,
    ).toBe("scrape_configs[0].relabel_configs[0].regex");
  });

  it("rejects unknown fields everywhere", () => {
    expect(errorOf("scrape_config: []").message).toBe("scrape_config: unknown field in the configuration file");
    expect(errorOf("global: { scrape_intervall: 1m }").path).toBe("global.scrape_intervall");
    expect(errorOf("scrape_configs: [{ job_name: a, static_configs: [{ target: [x] }] }]").path).toBe(
      "scrape_configs[0].static_configs[0].target",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, relabel_configs: [{ sources: [x] }] }]").path).toBe(
      "scrape_configs[0].relabel_configs[0].sources",
    );
  });

  it("rejects duplicate job names", () => {
    const err = errorOf("scrape_configs: [{ job_name: a }, { job_name: b }, { job_name: a }]");
    expect(err.message).toBe('scrape_configs[2].job_name: found multiple scrape configs with job name "a"');
  });

  it("rejects an empty job name", () => {
    expect(errorOf("scrape_configs: [{ scrape_interval: 1m }]").message).toBe(
      "scrape_configs[0].job_name: job_name is empty",
    );
  });

  it("rejects a timeout longer than the interval", () => {
    expect(errorOf("global: { scrape_interval: 10s, scrape_timeout: 11s }").message).toBe(
      "global.scrape_timeout: global scrape timeout greater than scrape interval",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, scrape_interval: 5s, scrape_timeout: 6s }]").message).toBe(
      'scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name "a"',
    );
  });

  it("rejects bad values with the expected syntax", () => {
    expect(errorOf("global: { scrape_interval: 1.5m }").message).toBe(
      'global.scrape_interval: not a valid duration string: "1.5m"',
    );
    expect(errorOf("global: { body_size_limit: 10 }").path).toBe("global.body_size_limit");
    expect(errorOf("global: { sample_limit: -1 }").path).toBe("global.sample_limit");
    expect(errorOf("scrape_configs: [{ job_name: a, honor_labels: maybe }]").path).toBe(
      "scrape_configs[0].honor_labels",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, scheme: ftp }]").path).toBe("scrape_configs[0].scheme");
    expect(errorOf("scrape_configs: [{ job_name: a, scrape_protocols: [Bogus] }]").path).toBe(
      "scrape_configs[0].scrape_protocols[0]",
    );
    expect(
      errorOf("scrape_configs: [{ job_name: a, static_configs: [{ targets: [http://x/metrics] }] }]").message,
    ).toBe('scrape_configs[0].static_configs[0].targets[0]: "http://x/metrics" is not a valid hostname');
  });

  it("refuses file-based secrets with the alternative", () => {
    const err = errorOf("scrape_configs: [{ job_name: a, basic_auth: { username: u, password_file: /etc/pw } }]");
    expect(err.path).toBe("scrape_configs[0].basic_auth.password_file");
    expect(err.message).toContain("password: ${SECRET_NAME}");
    expect(errorOf("scrape_configs: [{ job_name: a, authorization: { credentials_file: /x } }]").path).toBe(
      "scrape_configs[0].authorization.credentials_file",
    );
  });

  it("refuses what a Worker cannot do, with the reason", () => {
    expect(errorOf("scrape_configs: [{ job_name: a, file_sd_configs: [{ files: [x.json] }] }]").message).toContain(
      "serve the same JSON from an http_sd_configs endpoint",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, tls_config: { insecure_skip_verify: true } }]").path).toBe(
      "scrape_configs[0].tls_config",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, proxy_url: http://p }]").message).toContain(
      "cannot use an HTTP proxy",
    );
    expect(errorOf("remote_write: [{ url: http://x }]").path).toBe("remote_write");
    expect(errorOf("scrape_config_files: [a.yml]").path).toBe("scrape_config_files");
  });

  it("rejects header names fetch() would refuse and headers Prometheus sets itself", () => {
    expect(errorOf('scrape_configs: [{ job_name: a, http_headers: { "X Bad": { values: [v] } } }]').message).toBe(
      'scrape_configs[0].http_headers.X Bad: "X Bad" is not a valid HTTP header name',
    );
    expect(errorOf("scrape_configs: [{ job_name: a, http_headers: { User-Agent: { values: [v] } } }]").path).toBe(
      "scrape_configs[0].http_headers.User-Agent",
    );
  });

  it("rejects basic_auth together with authorization", () => {
    expect(
      errorOf("scrape_configs: [{ job_name: a, basic_auth: { username: u }, authorization: { credentials: c } }]")
        .message,
    ).toContain("at most one of basic_auth, oauth2 & authorization");
  });

  it("reports YAML syntax errors and duplicate keys with a line", () => {
    expect(errorOf("global:\n  scrape_interval: 1m\n  scrape_interval: 2m\n").message).toMatch(
      /^invalid YAML at line 3/,
    );
    expect(errorOf("scrape_configs: [\n").message).toMatch(/^invalid YAML/);
  });

  it("validates discovery configs as Prometheus does", () => {
    expect(errorOf("scrape_configs: [{ job_name: a, http_sd_configs: [{ refresh_interval: 1m }] }]").message).toBe(
      "scrape_configs[0].http_sd_configs[0].url: URL is missing",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, http_sd_configs: [{ url: ftp://x/sd }] }]").message).toBe(
      "scrape_configs[0].http_sd_configs[0].url: URL scheme must be 'http' or 'https'",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, dns_sd_configs: [{ names: [x], type: A }] }]").message).toBe(
      "scrape_configs[0].dns_sd_configs[0].port: a port is required in DNS-SD configs for all record types except SRV",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, dns_sd_configs: [{ names: [x], type: TXT }] }]").path).toBe(
      "scrape_configs[0].dns_sd_configs[0].type",
    );
    expect(errorOf("scrape_configs: [{ job_name: a, dns_sd_configs: [{ names: [] }] }]").path).toBe(
      "scrape_configs[0].dns_sd_configs[0].names",
    );
  });

  it("reads discovery configs with their defaults", () => {
    const [job] = loadConfig(`
scrape_configs:
  - job_name: a
    http_sd_configs:
      - url: https://sd.example/targets
        authorization: { credentials: "\${SD_TOKEN}" }
    dns_sd_configs:
      - names: [_prometheus._tcp.example.com]
      - names: [db.example.com]
        type: a
        port: 9187
        refresh_interval: 1m
        doh_url: https://dns.google/resolve
`).scrapeConfigs;
    expect(job.httpSdConfigs[0].url).toBe("https://sd.example/targets");
    expect(job.httpSdConfigs[0].refreshInterval).toBe(60_000);
    expect(job.httpSdConfigs[0].http.authorization).toEqual({
      type: "Bearer",
      credentials: { kind: "env", name: "SD_TOKEN" },
    });
    expect(job.dnsSdConfigs).toEqual([
      {
        names: ["_prometheus._tcp.example.com"],
        type: "SRV",
        port: undefined,
        refreshInterval: 30_000,
        dohUrl: "https://cloudflare-dns.com/dns-query",
      },
      {
        names: ["db.example.com"],
        type: "A",
        port: 9187,
        refreshInterval: 60_000,
        dohUrl: "https://dns.google/resolve",
      },
    ]);
  });
});

describe("secrets and the environment", () => {
  it("expands external labels from the environment like Prometheus", () => {
    const config = loadConfig(
      `
global:
  external_labels:
    region: \${REGION}
    cluster: $CLUSTER-a
    price: $$5
    missing: \${NOPE}
`,
      { env: { REGION: "eu", CLUSTER: "c1" } },
    );
    expect(config.global.externalLabels).toEqual([
      { name: "cluster", value: "c1-a" },
      { name: "price", value: "$5" },
      { name: "region", value: "eu" },
    ]);
  });

  it("resolves secret references from Worker secrets and keeps literals", () => {
    const config = loadConfig(`
scrape_configs:
  - job_name: a
    authorization: { credentials: "\${SCRAPE_TOKEN}" }
  - job_name: b
    basic_auth: { username: u, password: "pa\${not-a-ref}" }
`);
    const [a, b] = config.scrapeConfigs;
    expect(resolveSecret(a.http.authorization!.credentials!, { SCRAPE_TOKEN: "t0k" })).toBe("t0k");
    expect(() => resolveSecret(a.http.authorization!.credentials!, {})).toThrow(MissingSecretError);
    expect(() => resolveSecret(a.http.authorization!.credentials!, {})).toThrow(
      "run: npx wrangler secret put SCRAPE_TOKEN",
    );
    expect(resolveSecret(b.http.basicAuth!.password!, {})).toBe("pa${not-a-ref}");
  });
});
