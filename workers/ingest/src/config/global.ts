import type { Label, NameValidationScheme } from "../relabel";
import { compareLabelNames, isValidLabelName } from "../relabel";
import { ConfigError } from "./config-error";
import { FieldReader } from "./field-reader";
import { parseScrapeProtocols, type ScrapeProtocol } from "./scrape-protocols";
import type { SecretSource } from "./secret";
import type { YamlValue } from "./yaml-tree";

/** The `global:` section, with Prometheus's defaults applied. Durations in milliseconds, sizes in bytes. */
export interface GlobalConfig {
  readonly scrapeInterval: number;
  readonly scrapeTimeout: number;
  readonly evaluationInterval: number;
  readonly ruleQueryOffset: number;
  /** Sorted by name. */
  readonly externalLabels: readonly Label[];
  readonly scrapeProtocols: readonly ScrapeProtocol[] | undefined;
  readonly bodySizeLimit: number;
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
  readonly targetLimit: number;
  readonly keepDroppedTargets: number;
  readonly metricNameValidationScheme: NameValidationScheme;
  readonly scrapeNativeHistograms: boolean;
  readonly convertClassicHistogramsToNhcb: boolean;
  readonly alwaysScrapeClassicHistograms: boolean;
  readonly extraScrapeMetrics: boolean;
}

export const DEFAULT_SCRAPE_INTERVAL = 60_000;
export const DEFAULT_SCRAPE_TIMEOUT = 10_000;
export const DEFAULT_EVALUATION_INTERVAL = 60_000;

export function readGlobalConfig(value: YamlValue | undefined, env: SecretSource): GlobalConfig {
  const reader = FieldReader.of(value ?? null, "global", "global");
  let scrapeInterval = reader.duration("scrape_interval") ?? 0;
  if (scrapeInterval === 0) scrapeInterval = DEFAULT_SCRAPE_INTERVAL;
  let scrapeTimeout = reader.duration("scrape_timeout") ?? 0;
  if (scrapeTimeout > scrapeInterval) {
    throw new ConfigError(reader.pathOf("scrape_timeout"), "global scrape timeout greater than scrape interval");
  }
  if (scrapeTimeout === 0) scrapeTimeout = Math.min(DEFAULT_SCRAPE_TIMEOUT, scrapeInterval);
  let evaluationInterval = reader.duration("evaluation_interval") ?? 0;
  if (evaluationInterval === 0) evaluationInterval = DEFAULT_EVALUATION_INTERVAL;
  const metricNameValidationScheme = readValidationScheme(reader) ?? "utf8";
  const protocols = reader.stringList("scrape_protocols");
  reader.refuse("query_log_file", "Workers have no filesystem; queries are visible in Workers logs");
  reader.refuse("scrape_failure_log_file", "Workers have no filesystem; scrape failures are visible in Workers logs");
  const global: GlobalConfig = {
    scrapeInterval,
    scrapeTimeout,
    evaluationInterval,
    ruleQueryOffset: reader.duration("rule_query_offset") ?? 0,
    externalLabels: readExternalLabels(reader, env, metricNameValidationScheme),
    scrapeProtocols: protocols && parseScrapeProtocols(protocols, reader.pathOf("scrape_protocols")),
    bodySizeLimit: reader.size("body_size_limit") ?? 0,
    sampleLimit: reader.count("sample_limit") ?? 0,
    labelLimit: reader.count("label_limit") ?? 0,
    labelNameLengthLimit: reader.count("label_name_length_limit") ?? 0,
    labelValueLengthLimit: reader.count("label_value_length_limit") ?? 0,
    targetLimit: reader.count("target_limit") ?? 0,
    keepDroppedTargets: reader.count("keep_dropped_targets") ?? 0,
    metricNameValidationScheme,
    scrapeNativeHistograms: reader.boolean("scrape_native_histograms") ?? false,
    convertClassicHistogramsToNhcb: reader.boolean("convert_classic_histograms_to_nhcb") ?? false,
    alwaysScrapeClassicHistograms: reader.boolean("always_scrape_classic_histograms") ?? false,
    extraScrapeMetrics: reader.boolean("extra_scrape_metrics") ?? false,
  };
  reader.done();
  return global;
}

export function readValidationScheme(reader: FieldReader): NameValidationScheme | undefined {
  const text = reader.string("metric_name_validation_scheme");
  if (text === undefined || text === "") return undefined;
  if (text === "utf8" || text === "legacy") return text;
  throw new ConfigError(
    reader.pathOf("metric_name_validation_scheme"),
    `unknown name validation method specified, must be either '', 'legacy' or 'utf8', got ${JSON.stringify(text)}`,
  );
}

function readExternalLabels(reader: FieldReader, env: SecretSource, scheme: NameValidationScheme): Label[] {
  const labels: Label[] = [];
  for (const [name, value] of reader.stringMap("external_labels") ?? []) {
    const path = `${reader.pathOf("external_labels")}.${name}`;
    if (name === "__name__" || !isValidLabelName(name, scheme)) {
      throw new ConfigError(path, `${JSON.stringify(name)} is not a valid label name`);
    }
    const expanded = expandEnvironment(value, env);
    if (expanded !== "") labels.push({ name, value: expanded });
  }
  return labels.sort(compareLabelNames);
}

/**
 * Prometheus expands `${var}` and `$var` in external label values from the environment (here: Worker variables and
 * secrets); an unset variable becomes "", and `$$` is a literal `$`.
 */
export function expandEnvironment(text: string, env: SecretSource): string {
  return text.replace(
    /\$(?:\$|\{([^}]*)\}|([A-Za-z0-9_]+))/g,
    (whole, braced: string | undefined, bare: string | undefined) => {
      if (whole === "$$") return "$";
      const value = env[braced ?? bare ?? ""];
      return typeof value === "string" ? value : "";
    },
  );
}
