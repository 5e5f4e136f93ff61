// Prometheus's duration text (prometheus/common model.Duration): units y, w, d, h, m, s, ms in that order, each at
// most once, integers only, no sign; "0" is allowed without a unit. Durations are integer milliseconds here. PromQL,
// the test-script notation and the scrape configuration all read and write this one form.

const UNITS: ReadonlyArray<[unit: string, ms: number, exactOnly: boolean]> = [
  ["y", 365 * 24 * 3600_000, true],
  ["w", 7 * 24 * 3600_000, true],
  ["d", 24 * 3600_000, false],
  ["h", 3600_000, false],
  ["m", 60_000, false],
  ["s", 1000, false],
  ["ms", 1, false],
];

const DURATION_RE =
  /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;

/** Parse a duration (`1h30m`, `5m`, `90s`, `0`) into milliseconds; null when malformed (the empty string too). */
export function parseDurationMs(text: string): number | null {
  if (text === "0") return 0;
  if (text === "") return null;
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const digits = m[i + 1];
    if (digits !== undefined) ms += Number(digits) * UNITS[i][1];
  }
  return ms;
}

/** A non-negative duration in Prometheus's form: `1h30m`, `90d` (years and weeks only when exact), `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0) return "0s";
  let out = "";
  for (const [unit, size, exactOnly] of UNITS) {
    if (exactOnly && rest % size !== 0) continue;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
