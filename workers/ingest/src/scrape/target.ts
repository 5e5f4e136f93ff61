import { formatDuration, parseDuration, type ScrapeConfig } from "../config";
import { DurationError } from "../config/duration";
import { checkTargetAddress, type DiscoveredLabels, type TargetGroup } from "../discovery/target-group";
import { LabelBuilder, relabelBuilder, type Label } from "../relabel";
import { goEncodeQuery, goEscapePath } from "./go-url";

// Labels Prometheus reads during target building (model/labels.go names).
export const ADDRESS_LABEL = "__address__";
export const SCHEME_LABEL = "__scheme__";
export const METRICS_PATH_LABEL = "__metrics_path__";
export const SCRAPE_INTERVAL_LABEL = "__scrape_interval__";
export const SCRAPE_TIMEOUT_LABEL = "__scrape_timeout__";
export const PARAM_LABEL_PREFIX = "__param_";
export const META_LABEL_PREFIX = "__meta_";
export const RESERVED_LABEL_PREFIX = "__";
export const SCRAPE_NATIVE_HISTOGRAMS_LABEL = "__scrape_native_histograms__";
export const CONVERT_CLASSIC_HISTOGRAMS_TO_NHCB_LABEL = "__convert_classic_histograms_to_nhcb__";
export const ALWAYS_SCRAPE_CLASSIC_HISTOGRAMS_LABEL = "__always_scrape_classic_histograms__";
export const JOB_LABEL = "job";
export const INSTANCE_LABEL = "instance";

/** A target to scrape, after relabeling. */
export interface ScrapeTarget {
  /** Every label after relabeling, `__`-prefixed ones included (the address, scheme, path, params), sorted. */
  readonly labels: readonly Label[];
  /** The labels attached to scraped series: those not starting with `__`, sorted. */
  readonly publicLabels: readonly Label[];
  /** The labels discovery produced, before relabeling, sorted. */
  readonly discoveredLabels: readonly Label[];
  readonly url: string;
  /** Milliseconds, from `__scrape_interval__` / `__scrape_timeout__`. */
  readonly interval: number;
  readonly timeout: number;
  readonly scrapeNativeHistograms: boolean;
  readonly convertClassicHistogramsToNhcb: boolean;
  readonly alwaysScrapeClassicHistograms: boolean;
  /** Identity of the target: two targets with the same key are one (Prometheus hashes labels and URL). */
  readonly key: string;
}

/** A discovered target relabeling dropped. */
export interface DroppedTarget {
  readonly discoveredLabels: readonly Label[];
}

/** A discovered target Prometheus would refuse (no address, bad interval, ...). */
export interface InvalidTarget {
  readonly discoveredLabels: readonly Label[];
  readonly error: string;
}

export interface TargetSet {
  /** Unique targets in discovery order. */
  readonly active: readonly ScrapeTarget[];
  /** At most `keep_dropped_targets` of them when that is set. */
  readonly dropped: readonly DroppedTarget[];
  readonly droppedCount: number;
  readonly invalid: readonly InvalidTarget[];
  /**
   * Set when there are more active targets than `target_limit`: Prometheus then scrapes none of them and reports
   * each as down with this error.
   */
  readonly targetLimitError: string | undefined;
}

/** The label set of one discovered target before relabeling (Prometheus's PopulateDiscoveredLabels). */
export function discoveredLabels(config: ScrapeConfig, target: DiscoveredLabels, group: DiscoveredLabels): Label[] {
  const builder = new LabelBuilder([]);
  for (const [name, value] of Object.entries(target)) builder.set(name, value);
  for (const [name, value] of Object.entries(group)) {
    if (!(name in target)) builder.set(name, value);
  }
  const defaults: [string, string][] = [
    [JOB_LABEL, config.jobName],
    [SCRAPE_INTERVAL_LABEL, formatDuration(config.scrapeInterval)],
    [SCRAPE_TIMEOUT_LABEL, formatDuration(config.scrapeTimeout)],
    [METRICS_PATH_LABEL, config.metricsPath],
    [SCHEME_LABEL, config.scheme],
    [SCRAPE_NATIVE_HISTOGRAMS_LABEL, String(config.scrapeNativeHistograms)],
    [CONVERT_CLASSIC_HISTOGRAMS_TO_NHCB_LABEL, String(config.convertClassicHistogramsToNhcb)],
    [ALWAYS_SCRAPE_CLASSIC_HISTOGRAMS_LABEL, String(config.alwaysScrapeClassicHistograms)],
  ];
  for (const [name, value] of defaults) {
    if (builder.get(name) === "") builder.set(name, value);
  }
  for (const [name, values] of config.params) {
    const label = PARAM_LABEL_PREFIX + name;
    if (values.length > 0 && builder.get(label) === "") builder.set(label, values[0]);
  }
  return builder.labels();
}

/** Why a discovered target cannot become a scrape target. */
export class InvalidTargetError extends Error {
  override readonly name = "InvalidTargetError";
}

/**
 * Relabels one discovered target (Prometheus's PopulateLabels). Returns null when relabeling dropped it and throws
 * {@link InvalidTargetError} when the result cannot be scraped.
 */
export function buildTarget(config: ScrapeConfig, discovered: readonly Label[]): ScrapeTarget | null {
  const builder = new LabelBuilder(discovered);
  if (!relabelBuilder(builder, config.relabelConfigs)) return null;

  const address = builder.get(ADDRESS_LABEL);
  if (address === "") throw new InvalidTargetError("no address");
  const addressProblem = checkTargetAddress(address);
  if (addressProblem) throw new InvalidTargetError(addressProblem);

  const interval = parseTargetDuration(builder.get(SCRAPE_INTERVAL_LABEL), "scrape interval");
  const timeout = parseTargetDuration(builder.get(SCRAPE_TIMEOUT_LABEL), "scrape timeout");
  if (timeout > interval) {
    throw new InvalidTargetError(
      `scrape timeout cannot be greater than scrape interval (${JSON.stringify(builder.get(SCRAPE_TIMEOUT_LABEL))} > ${JSON.stringify(builder.get(SCRAPE_INTERVAL_LABEL))})`,
    );
  }
  const scrapeNativeHistograms = parseTargetBoolean(
    builder,
    SCRAPE_NATIVE_HISTOGRAMS_LABEL,
    config.scrapeNativeHistograms,
  );
  const convertClassicHistogramsToNhcb = parseTargetBoolean(
    builder,
    CONVERT_CLASSIC_HISTOGRAMS_TO_NHCB_LABEL,
    config.convertClassicHistogramsToNhcb,
  );
  const alwaysScrapeClassicHistograms = parseTargetBoolean(
    builder,
    ALWAYS_SCRAPE_CLASSIC_HISTOGRAMS_LABEL,
    config.alwaysScrapeClassicHistograms,
  );

  // Meta labels go after relabeling; other `__` labels stay on the target (they build the URL) but not on series.
  for (const label of builder.snapshot()) {
    if (label.name.startsWith(META_LABEL_PREFIX)) builder.delete(label.name);
  }
  if (builder.get(INSTANCE_LABEL) === "") builder.set(INSTANCE_LABEL, address);

  const labels = builder.labels();
  const url = targetUrl(config.params, labels);
  return {
    labels,
    publicLabels: labels.filter((label) => !label.name.startsWith(RESERVED_LABEL_PREFIX)),
    discoveredLabels: discovered,
    url,
    interval,
    timeout,
    scrapeNativeHistograms,
    convertClassicHistogramsToNhcb,
    alwaysScrapeClassicHistograms,
    key: JSON.stringify([labels.map((label) => [label.name, label.value]), url]),
  };
}

function parseTargetDuration(text: string, what: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (err) {
    if (err instanceof DurationError) throw new InvalidTargetError(`error parsing ${what}: ${err.message}`);
    throw err;
  }
  if (ms === 0) throw new InvalidTargetError(`${what} cannot be 0`);
  return ms;
}

// Go's strconv.ParseBool, which Prometheus uses for the per-target histogram switches.
const TRUE_WORDS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_WORDS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

function parseTargetBoolean(builder: LabelBuilder, name: string, fallback: boolean): boolean {
  const text = builder.get(name);
  if (text === "") return fallback;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  throw new InvalidTargetError(`invalid ${name} value ${JSON.stringify(text)}: must be a boolean`);
}

/**
 * The URL Prometheus scrapes: `__scheme__://__address____metrics_path__?params`, where `__param_<name>` labels
 * replace the first value of configured parameter `<name>` or add it. Prometheus 3 adds no default port.
 */
export function targetUrl(configParams: ReadonlyMap<string, readonly string[]>, labels: readonly Label[]): string {
  const params = new Map<string, string[]>();
  for (const [name, values] of configParams) params.set(name, [...values]);
  let scheme = "";
  let address = "";
  let path = "";
  for (const label of labels) {
    if (label.name === SCHEME_LABEL) scheme = label.value;
    else if (label.name === ADDRESS_LABEL) address = label.value;
    else if (label.name === METRICS_PATH_LABEL) path = label.value;
    else if (label.name.startsWith(PARAM_LABEL_PREFIX)) {
      const name = label.name.slice(PARAM_LABEL_PREFIX.length);
      const values = params.get(name);
      if (values && values.length > 0) values[0] = label.value;
      else params.set(name, [label.value]);
    }
  }
  let url = `${scheme}://${address}`;
  if (path !== "" && !path.startsWith("/")) url += "/";
  url += goEscapePath(path);
  const query = goEncodeQuery(params);
  return query ? `${url}?${query}` : url;
}

/** Builds the targets of one scrape config from its discovered groups, as a Prometheus scrape pool does. */
export function buildTargets(config: ScrapeConfig, groups: readonly TargetGroup[]): TargetSet {
  const active: ScrapeTarget[] = [];
  const dropped: DroppedTarget[] = [];
  const invalid: InvalidTarget[] = [];
  const seen = new Set<string>();
  let droppedCount = 0;
  for (const group of groups) {
    for (const target of group.targets) {
      const discovered = discoveredLabels(config, target, group.labels);
      let built: ScrapeTarget | null;
      try {
        built = buildTarget(config, discovered);
      } catch (err) {
        if (!(err instanceof InvalidTargetError)) throw err;
        invalid.push({ discoveredLabels: discovered, error: err.message });
        continue;
      }
      if (built === null) {
        droppedCount++;
        if (config.keepDroppedTargets === 0 || dropped.length < config.keepDroppedTargets) {
          dropped.push({ discoveredLabels: discovered });
        }
        continue;
      }
      if (seen.has(built.key)) continue;
      seen.add(built.key);
      active.push(built);
    }
  }
  const targetLimitError =
    config.targetLimit > 0 && active.length > config.targetLimit
      ? `target_limit exceeded (number of targets: ${active.length}, limit: ${config.targetLimit})`
      : undefined;
  return { active, dropped, droppedCount, invalid, targetLimitError };
}
