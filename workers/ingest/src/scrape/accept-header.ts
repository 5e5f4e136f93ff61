import type { ScrapeConfig, ScrapeProtocol } from "../config";

const MEDIA_TYPES: Readonly<Record<ScrapeProtocol, string>> = {
  PrometheusProto: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
  "PrometheusText0.0.4": "text/plain;version=0.0.4",
  "PrometheusText1.0.0": "text/plain;version=1.0.0",
  "OpenMetricsText0.0.1": "application/openmetrics-text;version=0.0.1",
  "OpenMetricsText1.0.0": "application/openmetrics-text;version=1.0.0",
};

/**
 * The scrape request's `Accept` header exactly as Prometheus 3 builds it: each protocol in preference order with
 * q-values falling from 0.6 (one more than the number of protocols Prometheus knows), the newer text formats
 * carrying the name escaping scheme, and `*` last.
 */
export function scrapeAcceptHeader(
  protocols: readonly ScrapeProtocol[],
  escapingScheme: ScrapeConfig["metricNameEscapingScheme"],
): string {
  let weight = Object.keys(MEDIA_TYPES).length + 1;
  const parts = protocols.map((protocol) => {
    let value = MEDIA_TYPES[protocol];
    if (protocol === "PrometheusText1.0.0" || protocol === "OpenMetricsText1.0.0")
      value += `;escaping=${escapingScheme}`;
    return `${value};q=0.${weight--}`;
  });
  parts.push(`*/*;q=0.${weight}`);
  return parts.join(",");
}
