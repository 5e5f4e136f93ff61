export { ConfigError } from "./config-error";
export {
  DEFAULT_DOH_URL,
  DNS_RECORD_TYPES,
  type DnsRecordType,
  type DnsSdConfig,
  type HttpSdConfig,
} from "./discovery-configs";
export { DurationError, formatDuration, parseDuration } from "./duration";
export { type GlobalConfig } from "./global";
export { type Authorization, type BasicAuth, type HttpClientConfig, type HttpHeader } from "./http-client";
export { loadConfig, type AlertingConfig, type EdgepromConfig, type LoadConfigOptions } from "./load";
export { type ScrapeConfig } from "./scrape";
export { SCRAPE_PROTOCOLS, type ScrapeProtocol } from "./scrape-protocols";
export { MissingSecretError, resolveSecret, type Secret, type SecretSource } from "./secret";
export { parseSize, SizeError } from "./size";
export { type RawYaml } from "./yaml-tree";
