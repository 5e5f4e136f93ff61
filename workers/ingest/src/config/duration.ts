// Prometheus's duration syntax (prometheus/common model.Duration): units y, w, d, h, m, s, ms in that order, each at
// most once, integers only; "0" is allowed without a unit. Durations are integer milliseconds here.

const DURATION =
  /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;

const MS_PER = {
  y: 365 * 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  h: 60 * 60 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
} as const;

const UNITS = ["y", "w", "d", "h", "m", "s", "ms"] as const;

// Go's time.Duration is int64 nanoseconds, so a duration longer than ~292 years is out of range there.
const MAX_DURATION_MS = Math.floor(2 ** 63 / 1e6);

/** A string that is not a Prometheus duration. */
export class DurationError extends Error {
  override readonly name = "DurationError";
}

/** Parses a Prometheus duration (`1h30m`, `15s`, `500ms`, `0`) into milliseconds. */
export function parseDuration(text: string): number {
  if (text === "0") return 0;
  if (text === "") throw new DurationError("empty duration string");
  const match = DURATION.exec(text);
  if (!match) throw new DurationError(`not a valid duration string: ${JSON.stringify(text)}`);
  let total = 0;
  UNITS.forEach((unit, i) => {
    const digits = match[i + 1];
    if (digits !== undefined) total += Number(digits) * MS_PER[unit];
  });
  if (!Number.isSafeInteger(total) || total > MAX_DURATION_MS) throw new DurationError("duration out of range");
  return total;
}

/**
 * Formats milliseconds the way Prometheus prints a duration (and therefore the value of the `__scrape_interval__`
 * and `__scrape_timeout__` labels): years and weeks only when exact, then d, h, m, s, ms; `0s` for zero.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const unit of UNITS) {
    const size = MS_PER[unit];
    if ((unit === "y" || unit === "w") && rest % size !== 0) continue;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
