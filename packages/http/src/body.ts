import { ApiError } from "./errors";

export interface ReadBodyOptions {
  /** Largest body accepted as sent, in bytes; larger answers 413 before or while reading. */
  maxBytes: number;
  /**
   * Decode `Content-Encoding: gzip` here (Pushgateway and OTLP bodies); other encodings are left to the caller
   * (remote write's snappy). With this off, the body is returned as sent.
   */
  gunzip?: boolean;
  /** Largest body after gzip decoding; default 4 × maxBytes. */
  maxDecodedBytes?: number;
}

/**
 * Reads a request body with a size bound, so a huge or endless body cannot exhaust a Worker's 128 MB: the declared
 * Content-Length is checked first, then the stream is counted as it arrives.
 */
export async function readBody(request: Request, options: ReadBodyOptions): Promise<Uint8Array> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > options.maxBytes) throw tooLarge(options.maxBytes);
  const encoding = (request.headers.get("Content-Encoding") ?? "").trim().toLowerCase();
  const raw = await readLimited(request.body, options.maxBytes);
  if (!options.gunzip || encoding === "" || encoding === "identity") return raw;
  if (encoding !== "gzip") {
    throw new ApiError("unsupported_media_type", `unsupported Content-Encoding ${JSON.stringify(encoding)}; use gzip`);
  }
  const maxDecoded = options.maxDecodedBytes ?? options.maxBytes * 4;
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip"));
  try {
    return await readLimited(stream, maxDecoded);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError("bad_data", `corrupt gzip body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError("too_large", `request body exceeds the limit of ${maxBytes} bytes`);
}
