export type { ExpositionExemplar, ExpositionSample, MetricFamily } from "./model";
export { ExpositionParseError, UnsupportedExpositionFormatError } from "./errors";
export { parseOpenMetrics, type OpenMetricsOptions } from "./openmetrics";
export { parsePrometheusText } from "./prometheus-text";
export { parseProtobufExposition } from "./protobuf";
export { formatBound, normalizeBoundLabel } from "./lexing";
export {
  expositionFormatOf,
  scrapeAcceptHeader,
  DEFAULT_SCRAPE_PROTOCOLS,
  PROTOBUF_EXPOSITION_PROTO,
  type ExpositionFormat,
  type ScrapeProtocol,
  type NameEscaping,
} from "./negotiate";
export { parseExposition, parseExpositionAs, type ParseExpositionOptions } from "./parse";
