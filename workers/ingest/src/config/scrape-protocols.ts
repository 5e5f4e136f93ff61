import { ConfigError } from "./config-error";

export const SCRAPE_PROTOCOLS = [
  "PrometheusProto",
  "OpenMetricsText0.0.1",
  "OpenMetricsText1.0.0",
  "PrometheusText0.0.4",
  "PrometheusText1.0.0",
] as const;

export type ScrapeProtocol = (typeof SCRAPE_PROTOCOLS)[number];

/** Prometheus's default negotiation order, which depends on whether native histograms are scraped. */
export function defaultScrapeProtocols(scrapeNativeHistograms: boolean): ScrapeProtocol[] {
  const text: ScrapeProtocol[] = [
    "OpenMetricsText1.0.0",
    "OpenMetricsText0.0.1",
    "PrometheusText1.0.0",
    "PrometheusText0.0.4",
  ];
  return scrapeNativeHistograms ? ["PrometheusProto", ...text] : text;
}

export function parseScrapeProtocol(text: string, path: string): ScrapeProtocol {
  const protocol = SCRAPE_PROTOCOLS.find((candidate) => candidate === text);
  if (!protocol) {
    throw new ConfigError(path, `unknown scrape protocol ${text}, supported: ${SCRAPE_PROTOCOLS.join(", ")}`);
  }
  return protocol;
}

export function parseScrapeProtocols(texts: readonly string[], path: string): ScrapeProtocol[] {
  const seen = new Set<ScrapeProtocol>();
  return texts.map((text, i) => {
    const protocol = parseScrapeProtocol(text, `${path}[${i}]`);
    if (seen.has(protocol))
      throw new ConfigError(`${path}[${i}]`, `duplicated protocol in scrape_protocols, got [${texts.join(" ")}]`);
    seen.add(protocol);
    return protocol;
  });
}
