import { ExpositionParseError } from "./errors";
import type { MetricFamily } from "./model";
import { expositionFormatOf, type ExpositionFormat } from "./negotiate";
import { parseOpenMetrics, type OpenMetricsOptions } from "./openmetrics";
import { parsePrometheusText } from "./prometheus-text";
import { parseProtobufExposition } from "./protobuf";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export interface ParseExpositionOptions extends OpenMetricsOptions {
  /** Format to use when the Content-Type names none we know (see {@link expositionFormatOf}). */
  fallback?: ExpositionFormat;
}

/** Parses an exposition body (already decompressed) in the format its Content-Type names. */
export function parseExposition(
  body: Uint8Array,
  contentType: string | null,
  options: ParseExpositionOptions = {},
): { format: ExpositionFormat; families: MetricFamily[] } {
  const format = expositionFormatOf(contentType, options.fallback);
  return { format, families: parseExpositionAs(body, format, options) };
}

export function parseExpositionAs(
  body: Uint8Array,
  format: ExpositionFormat,
  options: OpenMetricsOptions = {},
): MetricFamily[] {
  if (format === "protobuf") return parseProtobufExposition(body);
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new ExpositionParseError("the exposition is not valid UTF-8", 0);
  }
  return format === "openmetrics" ? parseOpenMetrics(text, options) : parsePrometheusText(text);
}
