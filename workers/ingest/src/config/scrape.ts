import type { TargetGroup } from "../discovery/target-group";
import { compileRelabelRule, RelabelRuleError, type NameValidationScheme, type RelabelRule } from "../relabel";
import { ConfigError, fieldPath } from "./config-error";
import {
  readDnsSdConfigs,
  readHttpSdConfigs,
  readStaticConfigs,
  type DnsSdConfig,
  type HttpSdConfig,
} from "./discovery-configs";
import { FieldReader, type ListItem } from "./field-reader";
import { readValidationScheme, type GlobalConfig } from "./global";
import { readHttpClientConfig, type HttpClientConfig } from "./http-client";
import {
  defaultScrapeProtocols,
  parseScrapeProtocol,
  parseScrapeProtocols,
  type ScrapeProtocol,
} from "./scrape-protocols";

/** One `scrape_configs` entry with defaults from `global` applied. Durations in milliseconds, sizes in bytes. */
export interface ScrapeConfig {
  readonly jobName: string;
  readonly scrapeInterval: number;
  readonly scrapeTimeout: number;
  readonly scrapeProtocols: readonly ScrapeProtocol[];
  readonly fallbackScrapeProtocol: ScrapeProtocol | undefined;
  readonly metricsPath: string;
  readonly scheme: "http" | "https";
  readonly params: ReadonlyMap<string, readonly string[]>;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly trackTimestampsStaleness: boolean;
  readonly enableCompression: boolean;
  readonly http: HttpClientConfig;
  readonly staticConfigs: readonly TargetGroup[];
  readonly httpSdConfigs: readonly HttpSdConfig[];
  readonly dnsSdConfigs: readonly DnsSdConfig[];
  readonly relabelConfigs: readonly RelabelRule[];
  readonly metricRelabelConfigs: readonly RelabelRule[];
  readonly bodySizeLimit: number;
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
  readonly targetLimit: number;
  readonly keepDroppedTargets: number;
  readonly metricNameValidationScheme: NameValidationScheme;
  readonly metricNameEscapingScheme: NameEscapingScheme;
  readonly nativeHistogramBucketLimit: number;
  readonly nativeHistogramMinBucketFactor: number;
  readonly scrapeNativeHistograms: boolean;
  readonly convertClassicHistogramsToNhcb: boolean;
  readonly alwaysScrapeClassicHistograms: boolean;
  readonly extraScrapeMetrics: boolean;
}

/** Service discoveries Prometheus has and edgeprom does not, with what to use instead. */
const UNSUPPORTED_DISCOVERY: Record<string, string> = {
  file_sd_configs: "Workers have no filesystem to watch; serve the same JSON from an http_sd_configs endpoint",
  kubernetes_sd_configs: "the Kubernetes API is not reachable from Cloudflare's edge in general",
  consul_sd_configs: "not implemented",
  aws_sd_configs: "not implemented",
  azure_sd_configs: "not implemented",
  digitalocean_sd_configs: "not implemented",
  docker_sd_configs: "the Docker socket is not reachable from a Worker",
  dockerswarm_sd_configs: "the Docker socket is not reachable from a Worker",
  ec2_sd_configs: "not implemented",
  eureka_sd_configs: "not implemented",
  gce_sd_configs: "not implemented",
  hetzner_sd_configs: "not implemented",
  ionos_sd_configs: "not implemented",
  kuma_sd_configs: "not implemented",
  lightsail_sd_configs: "not implemented",
  linode_sd_configs: "not implemented",
  marathon_sd_configs: "not implemented",
  nerve_sd_configs: "ZooKeeper needs raw TCP sessions",
  nomad_sd_configs: "not implemented",
  oci_sd_configs: "not implemented",
  openstack_sd_configs: "not implemented",
  outscale_sd_configs: "not implemented",
  ovhcloud_sd_configs: "not implemented",
  puppetdb_sd_configs: "not implemented",
  scaleway_sd_configs: "not implemented",
  serverset_sd_configs: "ZooKeeper needs raw TCP sessions",
  stackit_sd_configs: "not implemented",
  triton_sd_configs: "not implemented",
  uyuni_sd_configs: "not implemented",
  vultr_sd_configs: "not implemented",
};

const ESCAPING_SCHEMES = ["allow-utf-8", "underscores", "dots", "values"] as const;

/** How a target should write names outside the legacy character set (Prometheus's `escaping=` parameter). */
export type NameEscapingScheme = (typeof ESCAPING_SCHEMES)[number];

export function readScrapeConfig(item: ListItem, global: GlobalConfig): ScrapeConfig {
  const reader = FieldReader.of(item.value, item.path, "scrape_config");
  const jobName = reader.string("job_name") ?? "";
  if (jobName === "") throw new ConfigError(reader.pathOf("job_name"), "job_name is empty");

  const scrapeInterval = reader.duration("scrape_interval") || global.scrapeInterval;
  let scrapeTimeout = reader.duration("scrape_timeout") ?? 0;
  if (scrapeTimeout > scrapeInterval) {
    throw new ConfigError(
      reader.pathOf("scrape_timeout"),
      `scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(jobName)}`,
    );
  }
  if (scrapeTimeout === 0) scrapeTimeout = Math.min(global.scrapeTimeout, scrapeInterval);

  const metricNameValidationScheme = readValidationScheme(reader) ?? global.metricNameValidationScheme;
  const escapingText = reader.string("metric_name_escaping_scheme");
  let metricNameEscapingScheme: ScrapeConfig["metricNameEscapingScheme"] =
    metricNameValidationScheme === "legacy" ? "underscores" : "allow-utf-8";
  if (escapingText) {
    const scheme = ESCAPING_SCHEMES.find((candidate) => candidate === escapingText);
    if (!scheme) {
      throw new ConfigError(
        reader.pathOf("metric_name_escaping_scheme"),
        `unknown escaping scheme ${JSON.stringify(escapingText)}`,
      );
    }
    if (scheme === "allow-utf-8" && metricNameValidationScheme === "legacy") {
      throw new ConfigError(
        reader.pathOf("metric_name_escaping_scheme"),
        "metric_name_escaping_scheme cannot be set to 'allow-utf-8' while metric_name_validation_scheme is not set to UTF8",
      );
    }
    metricNameEscapingScheme = scheme;
  }

  const scrapeNativeHistograms = reader.boolean("scrape_native_histograms") ?? global.scrapeNativeHistograms;
  const protocolTexts = reader.stringList("scrape_protocols");
  const scrapeProtocols = protocolTexts
    ? parseScrapeProtocols(protocolTexts, reader.pathOf("scrape_protocols"))
    : (global.scrapeProtocols ?? defaultScrapeProtocols(scrapeNativeHistograms));
  const fallbackText = reader.string("fallback_scrape_protocol");

  const scheme = reader.string("scheme") ?? "http";
  if (scheme !== "http" && scheme !== "https") {
    throw new ConfigError(reader.pathOf("scheme"), `scheme must be "http" or "https", got ${JSON.stringify(scheme)}`);
  }

  reader.refuse("scrape_failure_log_file", "Workers have no filesystem; scrape failures are visible in Workers logs");
  for (const [key, reason] of Object.entries(UNSUPPORTED_DISCOVERY)) reader.refuse(key, reason);

  const config: ScrapeConfig = {
    jobName,
    scrapeInterval,
    scrapeTimeout,
    scrapeProtocols,
    fallbackScrapeProtocol: fallbackText
      ? parseScrapeProtocol(fallbackText, reader.pathOf("fallback_scrape_protocol"))
      : undefined,
    metricsPath: reader.string("metrics_path") ?? "/metrics",
    scheme,
    params: readParams(reader),
    honorLabels: reader.boolean("honor_labels") ?? false,
    honorTimestamps: reader.boolean("honor_timestamps") ?? true,
    trackTimestampsStaleness: reader.boolean("track_timestamps_staleness") ?? false,
    enableCompression: reader.boolean("enable_compression") ?? true,
    http: readHttpClientConfig(reader),
    staticConfigs: readStaticConfigs(reader.list("static_configs") ?? [], metricNameValidationScheme),
    httpSdConfigs: readHttpSdConfigs(reader.list("http_sd_configs") ?? []),
    dnsSdConfigs: readDnsSdConfigs(reader.list("dns_sd_configs") ?? []),
    relabelConfigs: readRelabelConfigs(reader.list("relabel_configs") ?? [], metricNameValidationScheme),
    metricRelabelConfigs: readRelabelConfigs(reader.list("metric_relabel_configs") ?? [], metricNameValidationScheme),
    bodySizeLimit: reader.size("body_size_limit") ?? global.bodySizeLimit,
    sampleLimit: reader.count("sample_limit") ?? global.sampleLimit,
    labelLimit: reader.count("label_limit") ?? global.labelLimit,
    labelNameLengthLimit: reader.count("label_name_length_limit") ?? global.labelNameLengthLimit,
    labelValueLengthLimit: reader.count("label_value_length_limit") ?? global.labelValueLengthLimit,
    targetLimit: reader.count("target_limit") ?? global.targetLimit,
    keepDroppedTargets: reader.count("keep_dropped_targets") ?? global.keepDroppedTargets,
    metricNameValidationScheme,
    metricNameEscapingScheme,
    nativeHistogramBucketLimit: reader.count("native_histogram_bucket_limit") ?? 0,
    nativeHistogramMinBucketFactor: reader.float("native_histogram_min_bucket_factor") ?? 0,
    scrapeNativeHistograms,
    convertClassicHistogramsToNhcb:
      reader.boolean("convert_classic_histograms_to_nhcb") ?? global.convertClassicHistogramsToNhcb,
    alwaysScrapeClassicHistograms:
      reader.boolean("always_scrape_classic_histograms") ?? global.alwaysScrapeClassicHistograms,
    extraScrapeMetrics: reader.boolean("extra_scrape_metrics") ?? global.extraScrapeMetrics,
  };
  reader.done();
  return config;
}

function readParams(reader: FieldReader): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const paramsReader = reader.object("params", "params");
  if (!paramsReader) return params;
  for (const name of paramsReader.keys()) params.set(name, paramsReader.stringList(name) ?? []);
  paramsReader.done();
  return params;
}

/** Reads a list of `<relabel_config>`, reporting errors under the offending rule and field. */
export function readRelabelConfigs(items: readonly ListItem[], scheme: NameValidationScheme): RelabelRule[] {
  return items.map((item) => {
    if (item.value === null) throw new ConfigError(item.path, "empty or null relabeling rule");
    const reader = FieldReader.of(item.value, item.path, "relabel_config");
    const modulusText = reader.string("modulus");
    let modulus: number | undefined;
    if (modulusText !== undefined) {
      modulus = Number(modulusText);
      if (!/^\+?[0-9]+$/.test(modulusText) || !Number.isSafeInteger(modulus)) {
        throw new ConfigError(
          reader.pathOf("modulus"),
          `expected an integer between 0 and 2^53-1, got ${JSON.stringify(modulusText)}`,
        );
      }
    }
    const input = {
      sourceLabels: reader.stringList("source_labels"),
      separator: reader.stringNullAsEmpty("separator"),
      regex: reader.stringNullAsEmpty("regex"),
      modulus,
      targetLabel: reader.stringNullAsEmpty("target_label"),
      replacement: reader.stringNullAsEmpty("replacement"),
      action: reader.stringNullAsEmpty("action"),
    };
    reader.done();
    try {
      return compileRelabelRule(input, scheme);
    } catch (err) {
      if (err instanceof RelabelRuleError) {
        throw new ConfigError(err.field ? fieldPath(item.path, err.field) : item.path, err.reason);
      }
      throw err;
    }
  });
}
