import { checkTargetAddress, type TargetGroup } from "../discovery/target-group";
import { isValidLabelName, type NameValidationScheme } from "../relabel";
import { ConfigError } from "./config-error";
import { FieldReader, type ListItem } from "./field-reader";
import { readHttpClientConfig, type HttpClientConfig } from "./http-client";

export interface HttpSdConfig {
  readonly url: string;
  readonly refreshInterval: number;
  readonly http: HttpClientConfig;
}

export const DNS_RECORD_TYPES = ["SRV", "A", "AAAA", "MX", "NS"] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** Workers cannot send DNS packets, so names are resolved over DNS-over-HTTPS (JSON API) at this endpoint. */
export const DEFAULT_DOH_URL = "https://cloudflare-dns.com/dns-query";

export interface DnsSdConfig {
  readonly names: readonly string[];
  readonly type: DnsRecordType;
  readonly port: number | undefined;
  readonly refreshInterval: number;
  /** edgeprom's addition: the DNS-over-HTTPS JSON endpoint. */
  readonly dohUrl: string;
}

export function readStaticConfigs(items: readonly ListItem[], scheme: NameValidationScheme): TargetGroup[] {
  return items.map((item, index) => {
    const reader = FieldReader.of(item.value, item.path, "static_config");
    const targets = (reader.stringList("targets") ?? []).map((address, i) => {
      const problem = checkTargetAddress(address);
      if (problem) throw new ConfigError(`${reader.pathOf("targets")}[${i}]`, problem);
      return { __address__: address };
    });
    const labels = readLabelSet(reader, "labels", scheme);
    reader.done();
    return { source: String(index), targets, labels };
  });
}

/** A `labels:` mapping validated under the naming scheme. */
export function readLabelSet(reader: FieldReader, key: string, scheme: NameValidationScheme): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of reader.stringMap(key) ?? []) {
    if (!isValidLabelName(name, scheme)) {
      throw new ConfigError(reader.pathOf(key), `${JSON.stringify(name)} is not a valid label name`);
    }
    labels[name] = value;
  }
  return labels;
}

export function readHttpSdConfigs(items: readonly ListItem[]): HttpSdConfig[] {
  return items.map((item) => {
    const reader = FieldReader.of(item.value, item.path, "http_sd_config");
    const url = reader.string("url");
    if (!url) throw new ConfigError(reader.pathOf("url"), "URL is missing");
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(reader.pathOf("url"), `invalid URL ${JSON.stringify(url)}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new ConfigError(reader.pathOf("url"), "URL scheme must be 'http' or 'https'");
    }
    if (!parsed.hostname) throw new ConfigError(reader.pathOf("url"), "host is missing in URL");
    const refreshInterval = reader.duration("refresh_interval") ?? 60_000;
    if (refreshInterval <= 0) throw new ConfigError(reader.pathOf("refresh_interval"), "must be greater than 0");
    const http = readHttpClientConfig(reader);
    reader.done();
    return { url, refreshInterval, http };
  });
}

export function readDnsSdConfigs(items: readonly ListItem[]): DnsSdConfig[] {
  return items.map((item) => {
    const reader = FieldReader.of(item.value, item.path, "dns_sd_config");
    const names = reader.stringList("names") ?? [];
    if (names.length === 0) {
      throw new ConfigError(reader.pathOf("names"), "DNS-SD config must contain at least one SRV record name");
    }
    const typeText = (reader.string("type") ?? "SRV").toUpperCase();
    const type = DNS_RECORD_TYPES.find((candidate) => candidate === typeText);
    if (!type) throw new ConfigError(reader.pathOf("type"), `invalid DNS-SD records type ${typeText}`);
    const port = reader.count("port");
    if (port !== undefined && port > 65535) throw new ConfigError(reader.pathOf("port"), `invalid port ${port}`);
    if (type !== "SRV" && !port) {
      throw new ConfigError(
        reader.pathOf("port"),
        "a port is required in DNS-SD configs for all record types except SRV",
      );
    }
    const refreshInterval = reader.duration("refresh_interval") ?? 30_000;
    if (refreshInterval <= 0) throw new ConfigError(reader.pathOf("refresh_interval"), "must be greater than 0");
    const dohUrl = reader.string("doh_url") ?? DEFAULT_DOH_URL;
    if (!/^https?:\/\/[^/]/.test(dohUrl)) {
      throw new ConfigError(reader.pathOf("doh_url"), "must be an http or https URL of a DNS-over-HTTPS JSON endpoint");
    }
    reader.done();
    return { names, type, port, refreshInterval, dohUrl };
  });
}
