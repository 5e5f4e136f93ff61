import type { Labels } from "./label";

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** True for names in the classic charset `[a-zA-Z_][a-zA-Z0-9_]*`; other (UTF-8) names are printed quoted. */
export function isLegacyLabelName(name: string): boolean {
  return LEGACY_NAME.test(name);
}

/**
 * Prints a label set as Prometheus's `Labels.String()` does: `{__name__="up", job="node"}`. Values are quoted like
 * Go's `strconv.Quote`; names outside the classic charset are quoted too (Prometheus 3, UTF-8 names).
 */
export function formatLabels(labels: Labels): string {
  let out = "{";
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) out += ", ";
    const { name, value } = labels[i];
    out += isLegacyLabelName(name) ? name : quoteGoString(name);
    out += "=";
    out += quoteGoString(value);
  }
  return out + "}";
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x07: "\\a",
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0b: "\\v",
  0x0c: "\\f",
  0x0d: "\\r",
  0x22: '\\"',
  0x5c: "\\\\",
};

/** Go's `strconv.Quote` for the characters label values contain in practice: escapes, control characters. */
export function quoteGoString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let escaped: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x7f) {
      escaped = SHORT_ESCAPES[c] ?? `\\x${c.toString(16).padStart(2, "0")}`;
    } else if (c >= 0x80 && c <= 0x9f) {
      escaped = `\\u00${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      escaped = "\\ufffd";
    }
    if (escaped !== undefined) {
      out += s.slice(start, i) + escaped;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}
