import type { ScrapeConfig, SecretSource } from "../config";
import { resolveDnsTargetGroups } from "./dns-sd";
import type { Fetcher } from "./fetcher";
import { fetchHttpTargetGroups } from "./http-sd";
import type { TargetGroup } from "./target-group";

/**
 * One source of targets of a scrape config. The caller (the Scraper Durable Object) refreshes each provider every
 * `refreshInterval` and, when a refresh throws, keeps the provider's previous groups, as Prometheus does.
 */
export interface DiscoveryProvider {
  /** Stable within a config: `static_configs`, `http_sd_configs[0]`, `dns_sd_configs[1]`, ... */
  readonly id: string;
  /** Milliseconds; Infinity for static targets. */
  readonly refreshInterval: number;
  refresh(): Promise<TargetGroup[]>;
}

export interface DiscoveryDependencies {
  readonly fetch: Fetcher;
  /** Worker secrets for `${SECRET}` references. */
  readonly env: SecretSource;
  readonly userAgent?: string;
}

/** The discovery providers of a scrape config. */
export function discoveryProviders(config: ScrapeConfig, deps: DiscoveryDependencies): DiscoveryProvider[] {
  const providers: DiscoveryProvider[] = [];
  if (config.staticConfigs.length > 0) {
    const groups = [...config.staticConfigs];
    providers.push({ id: "static_configs", refreshInterval: Infinity, refresh: async () => groups });
  }
  config.httpSdConfigs.forEach((sd, i) => {
    providers.push({
      id: `http_sd_configs[${i}]`,
      refreshInterval: sd.refreshInterval,
      refresh: () => fetchHttpTargetGroups(sd, deps.fetch, { env: deps.env, userAgent: deps.userAgent }),
    });
  });
  config.dnsSdConfigs.forEach((sd, i) => {
    providers.push({
      id: `dns_sd_configs[${i}]`,
      refreshInterval: sd.refreshInterval,
      refresh: () => resolveDnsTargetGroups(sd, deps.fetch),
    });
  });
  return providers;
}
