import type { RelabelRule } from "../relabel";
import { ConfigError } from "./config-error";
import { FieldReader } from "./field-reader";
import { readGlobalConfig, type GlobalConfig } from "./global";
import { readRelabelConfigs, readScrapeConfig, type ScrapeConfig } from "./scrape";
import type { SecretSource } from "./secret";
import { parseYamlTree, toRawYaml, type RawYaml } from "./yaml-tree";

/** The `alerting:` section: relabel rules validated now, Alertmanager targets kept as written for the notifier. */
export interface AlertingConfig {
  readonly alertRelabelConfigs: readonly RelabelRule[];
  readonly alertmanagers: readonly RawYaml[];
}

/** A loaded `edgeprom.yml`. */
export interface EdgepromConfig {
  readonly global: GlobalConfig;
  readonly ruleFiles: readonly string[];
  readonly scrapeConfigs: readonly ScrapeConfig[];
  readonly alerting: AlertingConfig;
  /** Sections kept as written for the parts of edgeprom that own them. */
  readonly otlp: RawYaml;
  readonly storage: RawYaml;
}

export interface LoadConfigOptions {
  /** Worker variables and secrets, for `${VAR}` in external label values (Prometheus expands the environment). */
  readonly env?: SecretSource;
}

/**
 * Parses and validates `edgeprom.yml` (Prometheus's configuration format) the way Prometheus loads its own file:
 * strict (unknown fields are errors), defaults from `global` applied, every error a {@link ConfigError} naming the
 * field path.
 */
export function loadConfig(text: string, options: LoadConfigOptions = {}): EdgepromConfig {
  const reader = FieldReader.of(parseYamlTree(text), "", "the configuration file");
  const global = readGlobalConfig(reader.raw("global"), options.env ?? {});

  const jobs = new Set<string>();
  const scrapeConfigs = (reader.list("scrape_configs") ?? []).map((item) => {
    if (item.value === null) throw new ConfigError(item.path, "empty or null scrape config section");
    const config = readScrapeConfig(item, global);
    if (jobs.has(config.jobName)) {
      throw new ConfigError(
        `${item.path}.job_name`,
        `found multiple scrape configs with job name ${JSON.stringify(config.jobName)}`,
      );
    }
    jobs.add(config.jobName);
    return config;
  });

  const ruleFiles = reader.stringList("rule_files") ?? [];
  const alerting = readAlerting(reader, global);
  const otlp = toRawYaml(reader.raw("otlp") ?? null);
  const storage = toRawYaml(reader.raw("storage") ?? null);

  const runtime = reader.object("runtime", "runtime");
  if (runtime) {
    runtime.accept("gogc"); // No Go garbage collector here.
    runtime.done();
  }
  reader.refuse("scrape_config_files", "Workers have no filesystem; put every scrape config in edgeprom.yml");
  reader.refuse("remote_write", "edgeprom stores samples itself; forwarding by remote write is not implemented");
  reader.refuse("remote_read", "not implemented");
  reader.refuse("tracing", "not implemented");
  reader.done();
  return { global, ruleFiles, scrapeConfigs, alerting, otlp, storage };
}

function readAlerting(parent: FieldReader, global: GlobalConfig): AlertingConfig {
  const reader = parent.object("alerting", "alerting");
  if (!reader) return { alertRelabelConfigs: [], alertmanagers: [] };
  const alertRelabelConfigs = readRelabelConfigs(
    reader.list("alert_relabel_configs") ?? [],
    global.metricNameValidationScheme,
  );
  const alertmanagers = (reader.list("alertmanagers") ?? []).map((item) => toRawYaml(item.value));
  reader.done();
  return { alertRelabelConfigs, alertmanagers };
}
