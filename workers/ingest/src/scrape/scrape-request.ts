import type { ScrapeConfig, ScrapeProtocol, SecretSource } from "../config";
import type { Fetcher } from "../discovery/fetcher";
import { parseExposition, scrapeAcceptHeader, type ExpositionFormat, type MetricFamily } from "../expfmt";
import type { NativeHistogram } from "../remotewrite/model";
import type { Label } from "../relabel";
import { ClassicHistogramCollector, NhcbConversionError, parseLe } from "./classic-to-nhcb";
import { httpClientHeaders } from "./http-client-headers";
import type { ExposedSample } from "./scrape-loop";
import type { ScrapeTarget } from "./target";

/** A scraped value: a float, or a native histogram. */
export type ScrapedValue = number | NativeHistogram;

export interface ScrapeRequestDependencies {
  readonly fetch: Fetcher;
  /** Worker secrets for `${SECRET}` references. */
  readonly env: SecretSource;
  readonly userAgent?: string;
  /** Clock for the scrape duration; Date.now by default. */
  readonly now?: () => number;
}

/** What one HTTP scrape produced, ready for ScrapeLoopState.append (add the aligned timestamp). */
/** A metric family's metadata as a scrape exposed it (for `/api/v1/targets/metadata` and `/api/v1/metadata`). */
export interface ScrapedMetadata {
  readonly metric: string;
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

export interface ScrapeResponse {
  readonly result: { readonly samples: ExposedSample<ScrapedValue>[] } | { readonly error: string };
  /** The families' metadata from a successful scrape, empty otherwise. */
  readonly metadata?: readonly ScrapedMetadata[];
  /** Milliseconds from sending the request to having parsed the body. */
  readonly duration: number;
  /** Bytes of (decompressed) body read; -1 when body_size_limit was exceeded. */
  readonly bodySize: number;
  readonly format: ExpositionFormat | undefined;
}

export const BODY_SIZE_LIMIT_ERROR = "body size limit exceeded";

const FALLBACK_FORMAT: Readonly<Record<ScrapeProtocol, ExpositionFormat>> = {
  PrometheusProto: "protobuf",
  "PrometheusText0.0.4": "prometheus-text",
  "PrometheusText1.0.0": "prometheus-text",
  "OpenMetricsText0.0.1": "openmetrics",
  "OpenMetricsText1.0.0": "openmetrics",
};

/**
 * Scrapes one target once, as Prometheus's scraper does: the negotiated Accept header, Accept-Encoding, the
 * timeout header and credentials; status 200 required; body_size_limit on the decompressed body; the parser the
 * Content-Type names (or `fallback_scrape_protocol`). Failures come back as `{ error }`, never thrown.
 */
export async function scrapeTarget(
  target: ScrapeTarget,
  config: ScrapeConfig,
  deps: ScrapeRequestDependencies,
): Promise<ScrapeResponse> {
  const now = deps.now ?? Date.now;
  const start = now();
  const failed = (error: string, bodySize = 0): ScrapeResponse => ({
    result: { error },
    duration: now() - start,
    bodySize,
    format: undefined,
  });

  let headers: Headers;
  try {
    headers = httpClientHeaders(config.http, deps.env);
  } catch (err) {
    return failed(err instanceof Error ? err.message : String(err));
  }
  headers.set("Accept", scrapeAcceptHeader(config.scrapeProtocols, config.metricNameEscapingScheme));
  headers.set("Accept-Encoding", config.enableCompression ? "gzip" : "identity");
  headers.set("User-Agent", deps.userAgent ?? "edgeprom");
  headers.set("X-Prometheus-Scrape-Timeout-Seconds", String(target.timeout / 1000));

  const signal = AbortSignal.timeout(target.timeout);
  let response: Response;
  try {
    response = await deps.fetch(target.url, {
      method: "GET",
      headers,
      redirect: config.http.followRedirects ? "follow" : "manual",
      signal,
    });
  } catch (err) {
    return failed(signal.aborted ? "context deadline exceeded" : `${err instanceof Error ? err.message : String(err)}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return failed(`server returned HTTP status ${response.status} ${response.statusText}`.trim());
  }

  let body: Uint8Array;
  try {
    body = await readBody(response, config.bodySizeLimit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return failed(BODY_SIZE_LIMIT_ERROR, -1);
    return failed(signal.aborted ? "context deadline exceeded" : `${err instanceof Error ? err.message : String(err)}`);
  }

  let format: ExpositionFormat;
  let families: MetricFamily[];
  try {
    const fallback = config.fallbackScrapeProtocol && FALLBACK_FORMAT[config.fallbackScrapeProtocol];
    ({ format, families } = parseExposition(body, response.headers.get("Content-Type"), {
      ...(fallback ? { fallback } : {}),
    }));
  } catch (err) {
    return failed(err instanceof Error ? err.message : String(err), body.length);
  }
  return {
    result: { samples: exposedSamples(families, target) },
    metadata: families.map((f) => ({ metric: f.name, type: f.type, help: f.help, unit: f.unit })),
    duration: now() - start,
    bodySize: body.length,
    format,
  };
}

class BodyTooLargeError extends Error {}

async function readBody(response: Response, limit: number): Promise<Uint8Array> {
  if (limit <= 0 || !response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

const NAME = "__name__";

function withName(name: string, labels: readonly Label[]): Label[] {
  const out: Label[] = [{ name: NAME, value: name }];
  for (const label of labels) if (label.name !== NAME) out.push(label);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const labelsKey = (labels: readonly Label[]) => JSON.stringify(labels.map((label) => [label.name, label.value]));

/**
 * Turns parsed families into samples with `__name__`, applying the target's histogram switches as Prometheus does:
 * without scrape_native_histograms a native histogram is ingested through its classic parts (only a `+Inf`
 * bucket, `_count` and `_sum` when it has no classic buckets); with it, the classic parts of a native histogram are
 * dropped unless always_scrape_classic_histograms is set. With convert_classic_histograms_to_nhcb, classic
 * histograms become native histograms with custom buckets, their classic parts kept only with
 * always_scrape_classic_histograms.
 */
export function exposedSamples(families: readonly MetricFamily[], target: ScrapeTarget): ExposedSample<ScrapedValue>[] {
  const out: ExposedSample<ScrapedValue>[] = [];
  for (const family of families) {
    const histogramFamily = family.type === "histogram" || family.type === "gaugehistogram";
    const gauge = family.type === "gaugehistogram";
    const names = {
      count: `${family.name}${gauge ? "_gcount" : "_count"}`,
      sum: `${family.name}${gauge ? "_gsum" : "_sum"}`,
      bucket: `${family.name}_bucket`,
    };
    const natives = family.samples.filter((sample) => sample.histogram !== null);
    const nativeKeys = new Set(natives.map((sample) => labelsKey(sample.labels)));
    const classicKeys = new Set(
      family.samples.filter((sample) => sample.name === names.count).map((sample) => labelsKey(sample.labels)),
    );
    const familyOut: ExposedSample<ScrapedValue>[] = [];
    for (const sample of family.samples) {
      const timestamp = sample.timestamp ?? undefined;
      if (sample.histogram !== null) {
        if (target.scrapeNativeHistograms) {
          familyOut.push({ labels: withName(sample.name, sample.labels), value: sample.histogram, timestamp });
        } else if (!classicKeys.has(labelsKey(sample.labels))) {
          const { count, sum } = sample.histogram;
          const infinity = [...sample.labels, { name: "le", value: "+Inf" }];
          familyOut.push({ labels: withName(names.bucket, infinity), value: count, timestamp });
          familyOut.push({ labels: withName(names.count, sample.labels), value: count, timestamp });
          familyOut.push({ labels: withName(names.sum, sample.labels), value: sum, timestamp });
        }
        continue;
      }
      const classicPart = sample.name === names.count || sample.name === names.sum || sample.name === names.bucket;
      if (target.scrapeNativeHistograms && classicPart && !target.alwaysScrapeClassicHistograms) {
        const own = sample.name === names.bucket ? sample.labels.filter((label) => label.name !== "le") : sample.labels;
        if (nativeKeys.has(labelsKey(own))) continue;
      }
      familyOut.push({ labels: withName(sample.name, sample.labels), value: sample.value, timestamp });
    }
    if (histogramFamily && target.convertClassicHistogramsToNhcb) {
      // Histograms ingested as native ones get no NHCB (it would collide with them).
      const skip = target.scrapeNativeHistograms ? nativeKeys : new Set<string>();
      out.push(...toNhcb(family.name, gauge, names, familyOut, skip, target.alwaysScrapeClassicHistograms));
    } else {
      out.push(...familyOut);
    }
  }
  return out;
}

function toNhcb(
  familyName: string,
  gauge: boolean,
  names: { readonly count: string; readonly sum: string; readonly bucket: string },
  samples: readonly ExposedSample<ScrapedValue>[],
  skip: ReadonlySet<string>,
  keepClassic: boolean,
): ExposedSample<ScrapedValue>[] {
  const groups = new Map<
    string,
    { base: Label[]; collector: ClassicHistogramCollector; timestamp: number | undefined; position: number }
  >();
  const out: (ExposedSample<ScrapedValue> | null)[] = [];
  for (const sample of samples) {
    const name = sample.labels.find((label) => label.name === NAME)?.value;
    const classic = name === names.bucket || name === names.count || name === names.sum;
    if (!classic || typeof sample.value !== "number") {
      out.push(sample);
      continue;
    }
    const base = sample.labels.filter((label) => label.name !== NAME && label.name !== "le");
    const key = labelsKey(base);
    if (skip.has(key)) {
      out.push(sample);
      continue;
    }
    let group = groups.get(key);
    if (!group) {
      // The NHCB takes the place of the group's first classic sample.
      group = { base, collector: new ClassicHistogramCollector(), timestamp: sample.timestamp, position: out.length };
      groups.set(key, group);
      out.push(null);
    }
    if (name === names.bucket) {
      group.collector.addBucket(parseLe(sample.labels.find((label) => label.name === "le")?.value ?? ""), sample.value);
    } else if (name === names.count) group.collector.setCount(sample.value);
    else group.collector.setSum(sample.value);
    if (keepClassic) out.push(sample);
  }
  for (const group of groups.values()) {
    try {
      const histogram = group.collector.convert(gauge);
      out[group.position] = { labels: withName(familyName, group.base), value: histogram, timestamp: group.timestamp };
    } catch (err) {
      // As Prometheus: a classic histogram that does not convert is not stored as an NHCB.
      if (!(err instanceof NhcbConversionError)) throw err;
    }
  }
  return out.filter((sample): sample is ExposedSample<ScrapedValue> => sample !== null);
}
