import type { FloatHistogram } from "../histogram/types";
import { METRIC_NAME, normalizeLabels, STALE_NAN, type Label } from "../value";
import { parseSignedDuration } from "./duration";
import { unquote } from "./unquote";

export class SeriesDescSyntaxError extends Error {
  override readonly name = "SeriesDescSyntaxError";
}

/** One slot of an expanded value sequence. Stale markers are floats holding the stale-marker NaN. */
export type SequenceValue =
  | { readonly kind: "omit" }
  | { readonly kind: "float"; readonly v: number }
  | { readonly kind: "hist"; readonly h: FloatHistogram; readonly hintGiven: boolean };

/** How the test DSL expands one `{{…}}` item (`{{A}}xN`, `{{A}}+{{B}}xN`); supplied by the histogram package. */
export interface HistogramNotation {
  expand(item: string): { values: FloatHistogram[]; counterResetHintGiven: boolean };
}

/** Splits `<series> <values…>` into its two parts and parses the series' labels. */
export function parseSeriesLine(line: string): { labels: Label[]; rest: string } {
  let i = 0;
  let name = "";
  const labels: Label[] = [];
  const ident = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (ident) {
    name = ident[0];
    i = name.length;
  }
  if (line[i] === "{") {
    i++;
    for (;;) {
      i = skipSpace(line, i);
      if (line[i] === "}") {
        i++;
        break;
      }
      let labelName: string;
      if (line[i] === '"' || line[i] === "'" || line[i] === "`") {
        const end = stringEnd(line, i);
        labelName = unquote(line.slice(i, end));
        i = skipSpace(line, end);
        if (line[i] === "," || line[i] === "}") {
          // A bare quoted string inside braces is the metric name.
          name = labelName;
          if (line[i] === ",") i++;
          continue;
        }
      } else {
        const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
        if (!m) throw new SeriesDescSyntaxError(`invalid label name at ${JSON.stringify(line.slice(i))}`);
        labelName = m[0];
        i = skipSpace(line, i + m[0].length);
      }
      if (line[i] !== "=") throw new SeriesDescSyntaxError(`expected "=" in ${JSON.stringify(line)}`);
      i = skipSpace(line, i + 1);
      const end = stringEnd(line, i);
      const value = unquote(line.slice(i, end));
      if (labelName === METRIC_NAME) name = value;
      else labels.push({ name: labelName, value });
      i = skipSpace(line, end);
      if (line[i] === ",") i++;
    }
  } else if (!ident) {
    throw new SeriesDescSyntaxError(`invalid series description ${JSON.stringify(line)}`);
  }
  if (name !== "") labels.push({ name: METRIC_NAME, value: name });
  return { labels: normalizeLabels(labels), rest: line.slice(i).trim() };
}

function skipSpace(s: string, i: number): number {
  while (s[i] === " " || s[i] === "\t") i++;
  return i;
}

function stringEnd(s: string, i: number): number {
  const q = s[i];
  if (q !== '"' && q !== "'" && q !== "`") throw new SeriesDescSyntaxError(`expected a string in ${JSON.stringify(s)}`);
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === "\\" && q !== "`") j++;
    else if (s[j] === q) return j + 1;
  }
  throw new SeriesDescSyntaxError(`unterminated string in ${JSON.stringify(s)}`);
}

/** Splits a value sequence on whitespace, keeping `{{…}}` literals (and `{{A}}+{{B}}xN`) whole. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    i = skipSpace(text, i);
    if (i >= text.length) break;
    let j = i;
    while (j < text.length && text[j] !== " " && text[j] !== "\t") {
      if (text.startsWith("{{", j)) {
        const close = text.indexOf("}}", j);
        if (close < 0) throw new SeriesDescSyntaxError(`unterminated histogram literal in ${JSON.stringify(text)}`);
        j = close + 2;
      } else {
        j++;
      }
    }
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

const NUMBER = String.raw`(?:[iI][nN][fF]|[nN][aA][nN]|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d+)?)`;
const FLOAT_TOKEN = new RegExp(`^([+-]?${NUMBER})(?:([+-])(${NUMBER}))?(?:x(\\d+))?$`);

export function parseNumber(text: string): number {
  const t = text.replace(/_/g, "");
  const lower = t.toLowerCase();
  if (/^[+-]?inf$/.test(lower)) return lower.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(lower)) return NaN;
  const v = Number(t);
  if (t === "" || Number.isNaN(v)) throw new SeriesDescSyntaxError(`invalid number ${JSON.stringify(text)}`);
  return v;
}

/** Expands a value sequence (`1 _ 3+2x4 stale {{…}}x2`) into one slot per timestamp. */
export function expandValues(text: string, hist: HistogramNotation | null): SequenceValue[] {
  const out: SequenceValue[] = [];
  for (const tok of tokenize(text)) {
    if (tok === "_") {
      out.push({ kind: "omit" });
    } else if (/^_x\d+$/.test(tok)) {
      for (let n = Number(tok.slice(2)); n > 0; n--) out.push({ kind: "omit" });
    } else if (tok === "stale") {
      out.push({ kind: "float", v: STALE_NAN });
    } else if (tok.startsWith("{{")) {
      expandHistogramToken(tok, hist, out);
    } else {
      const m = FLOAT_TOKEN.exec(tok);
      if (!m) throw new SeriesDescSyntaxError(`invalid value ${JSON.stringify(tok)}`);
      let cur = parseNumber(m[1]);
      if (m[2] !== undefined && m[4] === undefined) throw new SeriesDescSyntaxError(`missing "x<n>" in ${tok}`);
      const inc = m[2] === undefined ? 0 : m[2] === "-" ? -parseNumber(m[3]) : parseNumber(m[3]);
      const times = m[4] === undefined ? 0 : Number(m[4]);
      out.push({ kind: "float", v: cur });
      for (let k = 0; k < times; k++) {
        // Repeated addition, as the upstream runner does: rounding differs from a + k*b.
        cur += inc;
        out.push({ kind: "float", v: cur });
      }
    }
  }
  return out;
}

function expandHistogramToken(tok: string, hist: HistogramNotation | null, out: SequenceValue[]): void {
  if (!hist) throw new SeriesDescSyntaxError("native histogram literals need the histogram notation parser");
  const { values, counterResetHintGiven } = hist.expand(tok);
  for (const h of values) out.push({ kind: "hist", h, hintGiven: counterResetHintGiven });
}

/** Expands a start-timestamp line (`_ _ -30s-1mx2`) into per-slot offsets in ms; null = no start timestamp. */
export function expandStartOffsets(text: string): (number | null)[] {
  const out: (number | null)[] = [];
  for (const tok of tokenize(text)) {
    if (tok === "_") {
      out.push(null);
      continue;
    }
    const omit = /^_x(\d+)$/.exec(tok);
    if (omit) {
      for (let n = Number(omit[1]); n > 0; n--) out.push(null);
      continue;
    }
    const m = /^([+-]?[0-9][0-9a-wyz]*)(?:([+-])([0-9][0-9a-wyz]*))?(?:x(\d+))?$/.exec(tok);
    if (!m) throw new SeriesDescSyntaxError(`invalid start-timestamp item ${JSON.stringify(tok)}`);
    let cur = parseSignedDuration(m[1]);
    const inc = m[2] === undefined ? 0 : parseSignedDuration(m[2] + m[3]);
    const times = m[4] === undefined ? 0 : Number(m[4]);
    out.push(cur);
    for (let k = 0; k < times; k++) {
      cur += inc;
      out.push(cur);
    }
  }
  return out;
}
