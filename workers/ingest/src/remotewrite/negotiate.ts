import { UnsupportedRemoteWriteError } from "./errors";

export type RemoteWriteVersion = "1.0" | "2.0";

/** What a header lookup needs; `Headers` satisfies it. */
export interface HeaderSource {
  get(name: string): string | null;
}

export const RW1_PROTO = "prometheus.WriteRequest";
export const RW2_PROTO = "io.prometheus.write.v2.Request";

/**
 * The remote-write version a request uses, from `Content-Type` and `Content-Encoding`, as the 2.0 spec has
 * receivers decide: `application/x-protobuf` alone or with `proto=prometheus.WriteRequest` is 1.0,
 * `proto=io.prometheus.write.v2.Request` is 2.0, anything else is a 415. A missing Content-Type or
 * Content-Encoding is read as 1.0 / snappy, as Prometheus does, for old 1.0 senders that omit them.
 */
export function remoteWriteVersion(headers: HeaderSource): RemoteWriteVersion {
  const encoding = headers.get("content-encoding")?.trim().toLowerCase() ?? "";
  if (encoding !== "" && encoding !== "snappy") {
    throw new UnsupportedRemoteWriteError(`unsupported Content-Encoding ${JSON.stringify(encoding)}; use snappy`);
  }
  const contentType = headers.get("content-type");
  if (contentType === null || contentType.trim() === "") return "1.0";
  const { mediaType, params } = parseMediaType(contentType);
  if (mediaType !== "application/x-protobuf") {
    throw new UnsupportedRemoteWriteError(
      `unsupported Content-Type ${JSON.stringify(contentType)}; use application/x-protobuf`,
    );
  }
  const proto = params.get("proto");
  if (proto === undefined || proto === RW1_PROTO) return "1.0";
  if (proto === RW2_PROTO) return "2.0";
  throw new UnsupportedRemoteWriteError(`unsupported proto ${JSON.stringify(proto)}; use ${RW1_PROTO} or ${RW2_PROTO}`);
}

/** RFC 9110 media type: lower-cased type/subtype and parameters (names lower-cased, quotes removed). */
export function parseMediaType(header: string): { mediaType: string; params: Map<string, string> } {
  const parts = header.split(";");
  const params = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name !== "") params.set(name, value);
  }
  return { mediaType: parts[0].trim().toLowerCase(), params };
}

/** The response headers remote write 2.0 requires, with the counts actually written. */
export function writtenHeaders(written: {
  samples: number;
  histograms: number;
  exemplars: number;
}): Record<string, string> {
  return {
    "X-Prometheus-Remote-Write-Samples-Written": String(written.samples),
    "X-Prometheus-Remote-Write-Histograms-Written": String(written.histograms),
    "X-Prometheus-Remote-Write-Exemplars-Written": String(written.exemplars),
  };
}
