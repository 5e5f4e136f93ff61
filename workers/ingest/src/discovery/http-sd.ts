import type { HttpSdConfig, SecretSource } from "../config";
import { isValidLabelName } from "../relabel";
import { httpClientHeaders } from "../scrape/http-client-headers";
import { DiscoveryError, type Fetcher } from "./fetcher";
import type { TargetGroup } from "./target-group";

export const URL_LABEL = "__meta_url";

// Prometheus accepts exactly this Content-Type.
const JSON_CONTENT_TYPE = /^application\/json(?:;\s*charset=(?:"utf-8"|utf-8))?$/i;

export interface HttpSdOptions {
  /** Worker secrets, for `${SECRET}` references in the config's credentials. */
  readonly env: SecretSource;
  readonly userAgent?: string;
}

/** One refresh of an `http_sd_configs` entry: GET the URL and read its JSON list of target groups. */
export async function fetchHttpTargetGroups(
  config: HttpSdConfig,
  fetch: Fetcher,
  options: HttpSdOptions,
): Promise<TargetGroup[]> {
  const headers = httpClientHeaders(config.http, options.env);
  headers.set("Accept", "application/json");
  headers.set("User-Agent", options.userAgent ?? "edgeprom");
  headers.set("X-Prometheus-Refresh-Interval-Seconds", String(config.refreshInterval / 1000));
  let response: Response;
  try {
    response = await fetch(config.url, {
      method: "GET",
      headers,
      redirect: config.http.followRedirects ? "follow" : "manual",
      signal: AbortSignal.timeout(config.refreshInterval),
    });
  } catch (err) {
    throw new DiscoveryError(`GET ${config.url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new DiscoveryError(`server returned HTTP status ${response.status} ${response.statusText}`.trim());
  }
  const contentType = (response.headers.get("Content-Type") ?? "").trim();
  if (!JSON_CONTENT_TYPE.test(contentType)) {
    await response.body?.cancel();
    throw new DiscoveryError(`unsupported content type ${JSON.stringify(contentType)}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    throw new DiscoveryError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseTargetGroupList(body, config.url);
}

/** Validates the JSON body as Prometheus does (unknown fields are errors) and adds `__meta_url`. */
export function parseTargetGroupList(body: unknown, url: string): TargetGroup[] {
  if (!Array.isArray(body)) throw new DiscoveryError("expected a JSON array of target groups");
  return body.map((item: unknown, index) => {
    if (item === null) throw new DiscoveryError("nil target group item found");
    if (typeof item !== "object" || Array.isArray(item)) {
      throw new DiscoveryError(`target group ${index}: expected an object`);
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key !== "targets" && key !== "labels") {
        throw new DiscoveryError(`target group ${index}: unknown field ${JSON.stringify(key)}`);
      }
    }
    const targets = record.targets ?? [];
    if (!Array.isArray(targets) || !targets.every((target): target is string => typeof target === "string")) {
      throw new DiscoveryError(`target group ${index}: "targets" must be a list of strings`);
    }
    const labels: Record<string, string> = {};
    const rawLabels = record.labels ?? {};
    if (typeof rawLabels !== "object" || rawLabels === null || Array.isArray(rawLabels)) {
      throw new DiscoveryError(`target group ${index}: "labels" must be an object`);
    }
    for (const [name, value] of Object.entries(rawLabels)) {
      if (!isValidLabelName(name, "utf8"))
        throw new DiscoveryError(`target group ${index}: invalid label name ${JSON.stringify(name)}`);
      if (typeof value !== "string") {
        throw new DiscoveryError(`target group ${index}: label ${JSON.stringify(name)} must have a string value`);
      }
      labels[name] = value;
    }
    labels[URL_LABEL] = url;
    return { source: `${url}:${index}`, targets: targets.map((address) => ({ __address__: address })), labels };
  });
}
