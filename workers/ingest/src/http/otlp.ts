import type { Context } from "hono";
import { ApiError, readBody, toApiError } from "@edgeprom/http";
import { decodeOtlpJson, decodeOtlpProto, translateOtlp } from "../otlp/index";
import { ProtoWriter, WireType } from "@edgeprom/wire";
import { parseMediaType } from "../remotewrite/index";
import { writeColumns } from "../write/writer";
import { writeLimits } from "./limits";

type Encoding = "protobuf" | "json";

/**
 * `POST /api/v1/otlp/v1/metrics`: OTLP/HTTP metrics in protobuf or JSON, optionally gzipped. Points that cannot be
 * stored (delta temporality, invalid series) are reported as OTLP's partial success with 200, as the protocol asks;
 * undecodable bodies answer 400 and failed storage 503, each with a `google.rpc.Status` in the request's encoding.
 */
export async function otlpMetricsHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  const encoding = requestEncoding(c.req.header("Content-Type"));
  try {
    if (encoding === null) {
      throw new ApiError(
        "unsupported_media_type",
        `unsupported Content-Type ${JSON.stringify(c.req.header("Content-Type") ?? "")}; use application/x-protobuf or application/json`,
      );
    }
    const limits = writeLimits(c.env);
    const body = await readBody(c.req.raw, {
      maxBytes: limits.maxBodyBytes,
      gunzip: true,
      maxDecodedBytes: limits.maxDecodedBytes,
    });
    const request = encoding === "json" ? decodeOtlpJson(new TextDecoder().decode(body)) : decodeOtlpProto(body);
    const translated = translateOtlp(request);
    const outcome = await writeColumns(c.env, translated, translated.rejected.messages);
    const rejected = translated.rejected.dataPoints + outcome.refusedSamples;
    return exportResponse(c, encoding, rejected, outcome.problems.join("; "));
  } catch (err) {
    const apiError = toApiError(err);
    if (apiError.status >= 500) console.error(`OTLP write failed: ${apiError.message}`);
    return statusResponse(c, encoding ?? "json", apiError.status, apiError.message);
  }
}

function requestEncoding(contentType: string | undefined): Encoding | null {
  if (!contentType) return null;
  const { mediaType } = parseMediaType(contentType);
  if (mediaType === "application/x-protobuf" || mediaType === "application/protobuf") return "protobuf";
  if (mediaType === "application/json") return "json";
  return null;
}

function exportResponse(c: Context, encoding: Encoding, rejected: number, message: string): Response {
  if (encoding === "json") {
    const body =
      rejected > 0 || message !== ""
        ? { partialSuccess: { rejectedDataPoints: String(rejected), errorMessage: message } }
        : {};
    return c.json(body, 200);
  }
  const w = new ProtoWriter(64);
  if (rejected > 0 || message !== "") {
    w.fork(1);
    w.tag(1, WireType.Varint).int64(rejected);
    w.tag(2, WireType.LengthDelimited).string(message);
    w.join();
  }
  return c.body(w.finish().slice(), 200, { "Content-Type": "application/x-protobuf" });
}

/** A `google.rpc.Status` (code 3 INVALID_ARGUMENT for 4xx, 14 UNAVAILABLE otherwise). */
function statusResponse(c: Context, encoding: Encoding, httpStatus: number, message: string): Response {
  const code = httpStatus < 500 ? 3 : 14;
  if (encoding === "json") return c.json({ code, message }, httpStatus as 400);
  const w = new ProtoWriter(64);
  w.tag(1, WireType.Varint).int64(code);
  w.tag(2, WireType.LengthDelimited).string(message);
  return c.body(w.finish().slice(), httpStatus as 400, { "Content-Type": "application/x-protobuf" });
}
