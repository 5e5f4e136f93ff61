import type { NameEscapingScheme } from "../config/scrape";
import type { ScrapeProtocol } from "../config/scrape-protocols";
import { parseMediaType } from "../remotewrite/negotiate";
import { UnsupportedExpositionFormatError } from "./errors";

export type ExpositionFormat = "prometheus-text" | "openmetrics" | "protobuf";

export const PROTOBUF_EXPOSITION_PROTO = "io.prometheus.client.MetricFamily";

/** What a scrape can ask for, in Prometheus's `scrape_protocols` names (the config's list is the one source). */
export type { ScrapeProtocol };

const MEDIA_TYPE_OF_PROTOCOL: Readonly<Record<ScrapeProtocol, string>> = {
  PrometheusProto: `application/vnd.google.protobuf;proto=${PROTOBUF_EXPOSITION_PROTO};encoding=delimited`,
  "OpenMetricsText1.0.0": "application/openmetrics-text;version=1.0.0",
  "OpenMetricsText0.0.1": "application/openmetrics-text;version=0.0.1",
  "PrometheusText1.0.0": "text/plain;version=1.0.0",
  "PrometheusText0.0.4": "text/plain;version=0.0.4",
};

/** How the target should write names outside the legacy character set (the config's list is the one source). */
export type NameEscaping = NameEscapingScheme;

/** Prometheus 3's default order (native histograms need the protobuf format, so it goes first when wanted). */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  "OpenMetricsText1.0.0",
  "OpenMetricsText0.0.1",
  "PrometheusText1.0.0",
  "PrometheusText0.0.4",
];

/**
 * The `Accept` header of a scrape, built as Prometheus 3 builds it: the protocols in preference order with q-values
 * falling from 0.6 (one more than the five protocols it knows), the 1.0.0 text formats carrying the name-escaping
 * scheme, then `*` at the lowest.
 */
export function scrapeAcceptHeader(
  protocols: readonly ScrapeProtocol[] = DEFAULT_SCRAPE_PROTOCOLS,
  escaping: NameEscaping = "underscores",
): string {
  let weight = Object.keys(MEDIA_TYPE_OF_PROTOCOL).length + 1;
  const parts = protocols.map((p) => {
    const escapingParam = p === "OpenMetricsText1.0.0" || p === "PrometheusText1.0.0" ? `;escaping=${escaping}` : "";
    return `${MEDIA_TYPE_OF_PROTOCOL[p]}${escapingParam};q=0.${weight--}`;
  });
  parts.push(`*/*;q=0.${weight}`);
  return parts.join(",");
}

/**
 * Which parser a scraped or pushed body needs, from its `Content-Type`, as Prometheus's scraper decides:
 * `application/openmetrics-text` (any version) → OpenMetrics; `application/vnd.google.protobuf` with
 * `proto=io.prometheus.client.MetricFamily` (and `encoding=delimited`, the only encoding) → protobuf;
 * `text/plain` → Prometheus text. A missing or other type uses `fallback`, or is a 415 without one (Prometheus 3's
 * `fallback_scrape_protocol`; Prometheus 2 always fell back to text).
 */
export function expositionFormatOf(contentType: string | null, fallback?: ExpositionFormat): ExpositionFormat {
  if (contentType !== null && contentType.trim() !== "") {
    const { mediaType, params } = parseMediaType(contentType);
    if (mediaType === "application/openmetrics-text") return "openmetrics";
    if (mediaType === "text/plain") return "prometheus-text";
    if (mediaType === "application/vnd.google.protobuf") {
      const proto = params.get("proto");
      const encoding = params.get("encoding");
      if (
        (proto === undefined || proto === PROTOBUF_EXPOSITION_PROTO) &&
        (encoding === undefined || encoding === "delimited")
      ) {
        return "protobuf";
      }
    }
  }
  if (fallback !== undefined) return fallback;
  throw new UnsupportedExpositionFormatError(
    `unsupported exposition Content-Type ${JSON.stringify(contentType ?? "")}: use text/plain;version=0.0.4, ` +
      `application/openmetrics-text;version=1.0.0 or application/vnd.google.protobuf;proto=${PROTOBUF_EXPOSITION_PROTO};encoding=delimited`,
  );
}
