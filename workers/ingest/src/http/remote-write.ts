import type { Context } from "hono";
import { readBody } from "@edgeprom/http";
import { decodeRemoteWrite, writtenHeaders } from "../remotewrite/index";
import { writeColumns } from "../write/writer";
import { writeLimits } from "./limits";
import { plainTextError } from "./text-error";

/**
 * `POST /api/v1/write`: remote write 1.0 and 2.0. Answers 204 when everything was stored, 400 (which senders never
 * retry) naming every invalid series or refused sample after storing the rest, 413/415 for bodies it cannot take,
 * and 503 when a shard failed (senders retry; resent samples are idempotent). Errors are plain text, as
 * Prometheus's receiver writes them.
 */
export async function remoteWriteHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  try {
    const limits = writeLimits(c.env);
    const body = await readBody(c.req.raw, { maxBytes: limits.maxBodyBytes });
    const batch = decodeRemoteWrite(body, c.req.raw.headers, { maxDecodedBytes: limits.maxDecodedBytes });
    const outcome = await writeColumns(
      c.env,
      batch,
      batch.invalid.map((e) => e.message),
    );
    const headers = writtenHeaders(outcome.written);
    if (outcome.problems.length > 0) return c.text(outcome.problems.join("\n") + "\n", 400, headers);
    return c.body(null, 204, headers);
  } catch (err) {
    return plainTextError(c, err);
  }
}
