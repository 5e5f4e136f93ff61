// Prometheus's duration syntax (prometheus/common model.Duration), read and written by @edgeprom/promql's one
// implementation; the configuration adds Go's time.Duration range limit.
import { formatDuration, parseDurationMs } from "@edgeprom/promql/duration";

export { formatDuration };

// Go's time.Duration is int64 nanoseconds, so a duration longer than ~292 years is out of range there.
const MAX_DURATION_MS = Math.floor(2 ** 63 / 1e6);

/** A string that is not a Prometheus duration. */
export class DurationError extends Error {
  override readonly name = "DurationError";
}

/** Parses a Prometheus duration (`1h30m`, `15s`, `500ms`, `0`) into milliseconds. */
export function parseDuration(text: string): number {
  if (text === "") throw new DurationError("empty duration string");
  const total = parseDurationMs(text);
  if (total === null) throw new DurationError(`not a valid duration string: ${JSON.stringify(text)}`);
  if (!Number.isSafeInteger(total) || total > MAX_DURATION_MS) throw new DurationError("duration out of range");
  return total;
}
