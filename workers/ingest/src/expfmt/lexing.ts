// Character classes, numbers and escapes shared by the Prometheus-text and OpenMetrics parsers.

import { formatGoFloat } from "@edgeprom/promql/format";

export function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}

export function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

export function isLabelNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function isLabelNameChar(c: number): boolean {
  return isLabelNameStart(c) || (c >= 48 && c <= 57);
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isMetricName(s: string): boolean {
  return METRIC_NAME.test(s);
}

// Decimal or scientific notation with optional sign; leading zeros fine; no hex, no underscores, no binary/octal.
const REAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
const NAN = /^nan$/i;

/**
 * A sample value: a real number, or (case-insensitively) `Inf`, `Infinity` with an optional sign, or `NaN`.
 * Both OpenMetrics' grammar and Prometheus's text parser (Go's ParseFloat without hex floats) accept exactly this.
 * Returns null for anything else.
 */
export function parseSampleValue(s: string): number | null {
  if (REAL_NUMBER.test(s)) return Number(s);
  const inf = INFINITY.exec(s);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  if (NAN.test(s)) return Number.NaN;
  return null;
}

/** A real number without Inf or NaN (OpenMetrics timestamps, in seconds). */
export function parseRealNumber(s: string): number | null {
  return REAL_NUMBER.test(s) ? Number(s) : null;
}

/** Seconds (OpenMetrics timestamps) to integer milliseconds, rounding away float noise like 1700215884.373. */
export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

/**
 * Unescapes a label value or HELP text: `\\`, `\"` (when `quotes`) and `\n`. Any other backslash sequence stays
 * as written, as Prometheus and the OpenMetrics reference parser keep it.
 */
export function unescape(s: string, quotes: boolean): string {
  if (s.indexOf("\\") < 0) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\" || i + 1 === s.length) {
      out += c;
      continue;
    }
    const next = s[i + 1];
    if (next === "\\") out += "\\";
    else if (next === "n") out += "\n";
    else if (next === '"' && quotes) out += '"';
    else {
      out += c;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * The index of the `"` that closes a quoted string whose content starts at `from`, skipping escaped characters, or
 * -1. The common case, no backslash before the closing quote, is two `indexOf` scans.
 */
export function closingQuote(line: string, from: number): number {
  const quote = line.indexOf('"', from);
  const backslash = line.indexOf("\\", from);
  if (backslash < 0 || quote < backslash) return quote;
  let i = backslash;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 34) return i;
    i += c === 92 ? 2 : 1;
  }
  return -1;
}

/**
 * `le` / `quantile` label values as Prometheus 3 normalises them: Go's shortest `%g` (exponent form below 1e-4 and
 * from 1e6 on) with `.0` added to integers, `+Inf` / `-Inf` / `NaN`.
 */
export function formatBound(v: number): string {
  const g = formatGoFloat(v);
  return Number.isFinite(v) && !g.includes(".") && !g.includes("e") ? `${g}.0` : g;
}

/**
 * Rewrites the `le` or `quantile` label of a classic histogram bucket or summary quantile in Prometheus 3's
 * normalised form (`1` → `1.0`, `0.00001` → `1e-05`), so the same bucket is the same series whichever format
 * exposed it. Values that are not numbers stay as written.
 */
export function normalizeBoundLabel(labels: { name: string; value: string }[], name: "le" | "quantile"): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i].name !== name) continue;
    const v = parseSampleValue(labels[i].value);
    if (v !== null) {
      const normalized = formatBound(v);
      if (normalized !== labels[i].value) labels[i] = { name, value: normalized };
    }
    return;
  }
}
