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

/**
 * A float formatted as Go's `%g` (strconv 'g' with the shortest precision): plain notation for decimal exponents
 * from -4 to 5, otherwise `1e+06` / `1e-05` style; `+Inf`, `-Inf`, `NaN`. The test notation and Prometheus's
 * histogram strings (count_values, failure messages) use this form.
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  // toExponential() without digits gives the shortest round-tripping mantissa, as Go's shortest formatting does.
  const [mantissa, expText] = v.toExponential().split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? "-" : "+";
    const abs = Math.abs(exp);
    return `${mantissa}e${sign}${abs < 10 ? "0" + abs : abs}`;
  }
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  let out: string;
  if (exp >= 0) {
    out =
      digits.length > exp + 1 ? digits.slice(0, exp + 1) + "." + digits.slice(exp + 1) : digits.padEnd(exp + 1, "0");
  } else {
    out = "0." + "0".repeat(-exp - 1) + digits;
  }
  return negative ? "-" + out : out;
}

/**
 * The float form of error and warning messages where Prometheus writes Go's `%v`: shortest digits, exponent form below
 * 1e-4 and from 1e21 on. Go's own `%v` is `%g` (formatGoFloat), which switches to exponent form from 1e6 and keeps the
 * sign of -0; the two differ only there.
 */
export function formatGoValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    const [m, e] = v.toExponential().split("e");
    const exp = Number(e);
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(v);
}

/** Go's `%f` (six decimals), as in the @ modifier's out-of-bounds message. */
export function formatGoFixed(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  return value.toFixed(6);
}
