export class DurationSyntaxError extends Error {
  override readonly name = "DurationSyntaxError";
}

const UNITS: readonly [string, number][] = [
  ["y", 365 * 24 * 3600_000],
  ["w", 7 * 24 * 3600_000],
  ["d", 24 * 3600_000],
  ["h", 3600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Prometheus's `model.ParseDuration`: units in decreasing order, no sign, no fraction; bare "0" allowed. */
export function parseDuration(text: string): number {
  if (text === "0") return 0;
  const m = DURATION_RE.exec(text);
  if (!m || text === "") throw new DurationSyntaxError(`not a valid duration string: ${JSON.stringify(text)}`);
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNITS[i][1];
  return ms;
}

/** A duration that may carry a sign (start-timestamp offsets in load blocks). */
export function parseSignedDuration(text: string): number {
  if (text.startsWith("-")) return -parseDuration(text.slice(1));
  if (text.startsWith("+")) return parseDuration(text.slice(1));
  return parseDuration(text);
}
