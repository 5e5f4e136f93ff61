import { parseDurationMs } from "../duration";

export class DurationSyntaxError extends Error {
  override readonly name = "DurationSyntaxError";
}

/** Prometheus's `model.ParseDuration`: units in decreasing order, no sign, no fraction; bare "0" allowed. */
export function parseDuration(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === null) throw new DurationSyntaxError(`not a valid duration string: ${JSON.stringify(text)}`);
  return ms;
}

/** A duration that may carry a sign (start-timestamp offsets in load blocks). */
export function parseSignedDuration(text: string): number {
  if (text.startsWith("-")) return -parseDuration(text.slice(1));
  if (text.startsWith("+")) return parseDuration(text.slice(1));
  return parseDuration(text);
}
