export { ClassicHistogramCollector, compactSingleSpan, NhcbConversionError } from "./classic-to-nhcb";
export { httpClientHeaders } from "./http-client-headers";
export { scrapeOutcomeBatch } from "./outcome-batch";
export { goEncodeQuery, goEscapePath, goQueryEscape } from "./go-url";
export {
  attachTargetLabels,
  checkLabelLimits,
  EXPORTED_LABEL_PREFIX,
  sampleLabels,
  type LabelLimits,
} from "./sample-labels";
export {
  alignScrapeTimestamp,
  nextScrapeTime,
  SCRAPE_TIMESTAMP_TOLERANCE_MS,
  scrapeOffset,
  type AlignedScrapeTime,
} from "./schedule";
export {
  EXTRA_REPORT_METRICS,
  REPORT_METRICS,
  reportSeriesLabels,
  ScrapeLoopState,
  type ExposedSample,
  type ScrapeInput,
  type ScrapeLoopOptions,
  type ScrapeOutcome,
  type StaleMarker,
  type StoredSample,
} from "./scrape-loop";
export {
  BODY_SIZE_LIMIT_ERROR,
  exposedSamples,
  scrapeTarget,
  type ScrapedMetadata,
  type ScrapedValue,
  type ScrapeRequestDependencies,
  type ScrapeResponse,
} from "./scrape-request";
export { ScrapeManager, scrapeConfigFingerprint, type ScrapeManagerSnapshot } from "./scrape-manager";
export {
  ScrapePool,
  type DiscoveryStatus,
  type ProviderSnapshot,
  type ScrapePoolSnapshot,
  type TargetSnapshot,
  type ScrapePoolDependencies,
  type ScrapeRun,
  type TargetMetadata,
  type TargetStatus,
} from "./scrape-pool";
export { isStaleNaN, STALE_NAN } from "./stale-nan";
export {
  buildTarget,
  buildTargets,
  discoveredLabels,
  InvalidTargetError,
  targetUrl,
  type DroppedTarget,
  type InvalidTarget,
  type ScrapeTarget,
  type TargetSet,
} from "./target";
