import type { Context } from "hono";
import { readBody, toApiError } from "@edgeprom/http";
import { compareLabels, type SelectedSeries, type ShardedReader } from "@edgeprom/tsdb";
import {
  CHUNKED_READ_CONTENT_TYPE,
  decodeReadRequest,
  encodeReadResponse,
  ProtobufDecodeError,
  ReadResponseType,
  snappyDecode,
  snappyEncode,
  type ReadQuery,
  type ReadRequest,
  type RemoteTimeSeries,
} from "@edgeprom/wire";
import { validateReadMatchers } from "./remote-read-matchers";
import { samplesOfSeries } from "./remote-read-samples";
import { framesOfQuery } from "./remote-read-stream";

/** Largest compressed request body; a read request is a few matchers per query, so this is generous. */
export const MAX_READ_REQUEST_BYTES = 4 * 1024 * 1024;
/** Largest decompressed request, as Prometheus's own server bounds it. */
export const MAX_DECODED_READ_REQUEST_BYTES = 32 * 1024 * 1024;

/**
 * Most samples (floats plus histograms) one SAMPLES response may carry. Prometheus's default is 5e7, sized for a
 * server with gigabytes; a Worker has 128 MB, and a sample costs ~16 bytes decoded plus ~13 encoded. Larger reads
 * should ask for STREAMED_XOR_CHUNKS, which never decodes a chunk.
 */
export const MAX_SAMPLES_PER_RESPONSE = 1_000_000;

/** A read request that cannot be answered: 400, in plain text as Prometheus answers. */
export class RemoteReadRequestError extends Error {
  override readonly name = "RemoteReadRequestError";
  readonly errorType = "bad_data";
}

/**
 * `POST /api/v1/read`: Prometheus remote read. The response type is the first of the client's
 * `accepted_response_types` this server speaks (SAMPLES when the list is empty): SAMPLES answers one
 * Snappy-compressed `ReadResponse`, STREAMED_XOR_CHUNKS streams CRC-checked `ChunkedReadResponse` frames holding the
 * stored chunks as they are. Errors are plain text.
 */
export async function remoteReadHandler(
  c: Context,
  reader: ShardedReader,
  sampleLimit = MAX_SAMPLES_PER_RESPONSE,
): Promise<Response> {
  let request: ReadRequest;
  let responseType: number;
  try {
    request = await parseReadRequest(c.req.raw);
    responseType = negotiateResponseType(request.acceptedResponseTypes);
    for (const query of request.queries) {
      if (query.matchers.length === 0)
        throw new RemoteReadRequestError("a remote-read query needs at least one matcher");
      validateReadMatchers(query.matchers);
    }
  } catch (err) {
    return plainTextError(c, err);
  }
  try {
    if (responseType === ReadResponseType.Samples) return await samplesResponse(reader, request.queries, sampleLimit);
    return await streamedResponse(reader, request.queries);
  } catch (err) {
    return plainTextError(c, err);
  }
}

async function parseReadRequest(raw: Request): Promise<ReadRequest> {
  const body = await readBody(raw, { maxBytes: MAX_READ_REQUEST_BYTES });
  const decoded = snappyDecode(body, { maxDecodedBytes: MAX_DECODED_READ_REQUEST_BYTES });
  try {
    return decodeReadRequest(decoded);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) {
      throw new RemoteReadRequestError(`malformed prometheus.ReadRequest: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

function negotiateResponseType(accepted: readonly number[]): number {
  if (accepted.length === 0) return ReadResponseType.Samples;
  for (const type of accepted) {
    if (type === ReadResponseType.Samples || type === ReadResponseType.StreamedXorChunks) return type;
  }
  throw new RemoteReadRequestError(
    `server does not support any of the requested response types: ${accepted.join(", ")}`,
  );
}

async function selectQuery(reader: ShardedReader, query: ReadQuery): Promise<SelectedSeries[]> {
  const series = await reader.select({
    matchers: query.matchers,
    mint: query.startTimestampMs,
    maxt: query.endTimestampMs,
  });
  return series.sort((a, b) => compareLabels(a.labels, b.labels));
}

async function samplesResponse(
  reader: ShardedReader,
  queries: readonly ReadQuery[],
  sampleLimit: number,
): Promise<Response> {
  let samples = 0;
  const results = await Promise.all(
    queries.map(async (query) => {
      const timeseries: RemoteTimeSeries[] = [];
      for (const selected of await selectQuery(reader, query)) {
        const series = samplesOfSeries(selected, query.startTimestampMs, query.endTimestampMs);
        if (!series) continue;
        samples += series.samples.t.length + series.histograms.length;
        if (samples > sampleLimit) {
          throw new RemoteReadRequestError(
            `exceeded sample limit (${sampleLimit}); ask for fewer series or a shorter range, or use STREAMED_XOR_CHUNKS`,
          );
        }
        timeseries.push(series);
      }
      return { timeseries };
    }),
  );
  return new Response(snappyEncode(encodeReadResponse({ results })), {
    headers: { "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy" },
  });
}

/**
 * Frames go out query by query as each query's select returns, so a large answer never sits in memory whole. The
 * first query is selected before the response starts, so a bad matcher still gets a 400 rather than a cut stream.
 */
async function streamedResponse(reader: ShardedReader, queries: readonly ReadQuery[]): Promise<Response> {
  const first = queries.length > 0 ? await selectQuery(reader, queries[0]!) : [];
  let next = 0;
  let frames: Iterator<Uint8Array> | null = null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          if (frames) {
            const frame = frames.next();
            if (!frame.done) {
              controller.enqueue(frame.value);
              return;
            }
            frames = null;
          }
          if (next >= queries.length) {
            controller.close();
            return;
          }
          const index = next++;
          const series = index === 0 ? first : await selectQuery(reader, queries[index]!);
          frames = framesOfQuery(series, index);
        }
      } catch (err) {
        console.error(`remote read: query stream failed: ${err instanceof Error ? err.message : String(err)}`);
        controller.error(err);
      }
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": CHUNKED_READ_CONTENT_TYPE },
  });
}

function plainTextError(c: Context, err: unknown): Response {
  const apiError = toApiError(err);
  if (apiError.status >= 500) console.error(`${c.req.method} ${c.req.path}: ${apiError.message}`);
  return c.text(apiError.message + "\n", apiError.status as 400, apiError.headers);
}
