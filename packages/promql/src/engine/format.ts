/**
 * Formats a float64 as Go's `strconv.FormatFloat(f, 'f', -1, 64)`: the shortest decimal that round-trips, never in
 * exponent form; "NaN", "+Inf", "-Inf". This is how Prometheus's HTTP API writes sample values.
 */
export function formatFloat(f: number): string {
  if (f !== f) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const abs = Math.abs(f);
  if (abs >= 1e-6 && abs < 1e21) return String(f);
  // toExponential() without an argument yields the shortest round-trip digits.
  const [mantissa, expText] = abs.toExponential().split("e");
  const exp = Number(expText);
  const digits = mantissa.replace(".", "");
  let out: string;
  if (exp >= 0) {
    out =
      digits.length - 1 <= exp
        ? digits + "0".repeat(exp - (digits.length - 1))
        : digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  } else {
    out = "0." + "0".repeat(-exp - 1) + digits;
  }
  return f < 0 ? "-" + out : out;
}
