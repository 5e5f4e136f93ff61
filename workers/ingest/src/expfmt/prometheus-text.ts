import { ExpositionParseError } from "./errors";
import { sortLabelsFindDuplicate } from "./labels";
import {
  closingQuote,
  isLabelNameChar,
  isLabelNameStart,
  isMetricName,
  isNameChar,
  isNameStart,
  parseSampleValue,
  unescape,
} from "./lexing";
import { NO_EXEMPLARS, type Label, type MetricFamily, type MetricType } from "./model";

const TYPES: Readonly<Record<string, MetricType>> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  summary: "summary",
  untyped: "unknown",
};

const INTEGER = /^[+-]?\d+$/;

interface FamilyState {
  family: MetricFamily;
  typed: boolean;
  helped: boolean;
}

/**
 * Parses the Prometheus text format 0.0.4 (`text/plain; version=0.0.4`), with the leniency of Prometheus's own
 * scraper: blanks and tabs around tokens, a trailing comma in label sets, `#` comments, no final newline needed,
 * quoted UTF-8 metric and label names (`{"my.metric", "a.b"="c"}`). A family's samples may be spread out; they are
 * gathered under the family their name (or, for histograms and summaries, its `_bucket`/`_sum`/`_count` base)
 * declares. Errors: invalid names or values, float timestamps, a second HELP or TYPE, a TYPE after its samples,
 * unknown types, `__name__` given as a label, non-numeric `le` / `quantile`.
 */
export function parsePrometheusText(text: string): MetricFamily[] {
  const families = new Map<string, FamilyState>();
  const order: MetricFamily[] = [];
  let current: FamilyState | null = null;
  let lineNo = 0;
  let start = 0;

  const error = (reason: string) => new ExpositionParseError(reason, lineNo);
  const familyNamed = (name: string): FamilyState => {
    let state = families.get(name);
    if (state === undefined) {
      state = { family: { name, type: "unknown", help: "", unit: "", samples: [] }, typed: false, helped: false };
      families.set(name, state);
      order.push(state.family);
    }
    return state;
  };

  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    lineNo++;
    let i = skipBlanks(line, 0);
    if (i === line.length) continue;
    if (line.charCodeAt(i) === 35) {
      i = skipBlanks(line, i + 1);
      const keywordEnd = tokenEnd(line, i);
      const keyword = line.slice(i, keywordEnd);
      if (keyword !== "HELP" && keyword !== "TYPE") continue;
      i = skipBlanks(line, keywordEnd);
      const nameEnd = tokenEnd(line, i);
      const token = line.slice(i, nameEnd);
      const name = unquoteName(token);
      if (name === "") continue;
      // Quoted UTF-8 names may hold anything; bare names follow the legacy grammar.
      if (name === token && !isMetricName(name)) {
        throw error(`invalid metric name ${JSON.stringify(name)} in # ${keyword}`);
      }
      const rest = line.slice(skipBlanks(line, nameEnd));
      const state = familyNamed(name);
      if (keyword === "HELP") {
        // A HELP without text says nothing; Prometheus's parsers skip it rather than count it as the family's HELP.
        if (rest === "") continue;
        if (state.helped) throw error(`second # HELP for ${name}`);
        state.helped = true;
        state.family.help = unescape(rest, false);
      } else {
        if (state.typed) throw error(`second # TYPE for ${name}`);
        if (state.family.samples.length > 0) throw error(`# TYPE for ${name} after its samples`);
        const type = TYPES[rest.trimEnd()];
        if (type === undefined) throw error(`unknown metric type ${JSON.stringify(rest)}`);
        state.typed = true;
        state.family.type = type;
      }
      current = state;
      continue;
    }

    // A sample: name [{labels}] value [timestamp]
    let name = "";
    if (isNameStart(line.charCodeAt(i))) {
      const nameStart = i;
      while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
      name = line.slice(nameStart, i);
      i = skipBlanks(line, i);
    } else if (line.charCodeAt(i) !== 123) {
      throw error(`invalid metric name in ${JSON.stringify(line)}`);
    }
    const labels: Label[] = [];
    if (line.charCodeAt(i) === 123) {
      i++;
      for (;;) {
        i = skipBlanks(line, i);
        if (line.charCodeAt(i) === 125) {
          i++;
          break;
        }
        let labelName: string;
        let quoted = false;
        if (line.charCodeAt(i) === 34) {
          const q = readQuoted(line, i);
          if (q === null) throw error("unterminated quoted name");
          labelName = q.value;
          i = q.end;
          quoted = true;
        } else {
          const nameStart = i;
          if (!isLabelNameStart(line.charCodeAt(i))) throw error("invalid label name");
          while (i < line.length && isLabelNameChar(line.charCodeAt(i))) i++;
          labelName = line.slice(nameStart, i);
        }
        i = skipBlanks(line, i);
        const c = line.charCodeAt(i);
        if (quoted && name === "" && (c === 44 || c === 125)) {
          // `{"metric.name", ...}`: a quoted string without `=` is the metric name.
          name = labelName;
        } else {
          if (c !== 61) throw error(`label ${labelName} needs ="value"`);
          i = skipBlanks(line, i + 1);
          if (line.charCodeAt(i) !== 34) throw error(`value of label ${labelName} must be quoted`);
          const v = readQuoted(line, i);
          if (v === null) throw error(`unterminated value of label ${labelName}`);
          if (labelName === "__name__") throw error("__name__ cannot be given as a label");
          labels.push({ name: labelName, value: v.value });
          i = skipBlanks(line, v.end);
        }
        const sep = line.charCodeAt(i);
        if (sep === 44) {
          i++;
        } else if (sep === 125) {
          i++;
          break;
        } else {
          throw error("expected , or } in label set");
        }
      }
      i = skipBlanks(line, i);
    }
    if (name === "") throw error("sample without metric name");
    const valueEnd = tokenEnd(line, i);
    const value = parseSampleValue(line.slice(i, valueEnd));
    if (value === null) throw error(`invalid value ${JSON.stringify(line.slice(i, valueEnd))}`);
    i = skipBlanks(line, valueEnd);
    let timestamp: number | null = null;
    if (i < line.length) {
      const tsEnd = tokenEnd(line, i);
      const ts = line.slice(i, tsEnd);
      if (!INTEGER.test(ts)) throw error(`invalid timestamp ${JSON.stringify(ts)}: integer milliseconds expected`);
      timestamp = Number(ts);
      if (skipBlanks(line, tsEnd) !== line.length) throw error("unexpected text after the timestamp");
    }
    const duplicate = sortLabelsFindDuplicate(labels);
    if (duplicate !== null) throw error(`duplicate label name ${duplicate}`);

    let state: FamilyState | null = current !== null && owns(current.family, name) ? current : null;
    if (state === null) state = findOwner(families, name) ?? familyNamed(name);
    current = state;
    const type = state.family.type;
    if (type === "histogram" && name.endsWith("_bucket")) requireNumericLabel(labels, "le", error);
    if (type === "summary" && name === state.family.name) requireNumericLabel(labels, "quantile", error);
    state.family.samples.push({
      name,
      labels,
      value,
      timestamp,
      createdTimestamp: null,
      exemplars: NO_EXEMPLARS,
      histogram: null,
    });
  }
  return order;
}

function owns(family: MetricFamily, name: string): boolean {
  if (name === family.name) return true;
  if (!name.startsWith(family.name)) return false;
  const suffix = name.slice(family.name.length);
  if (family.type === "histogram") return suffix === "_bucket" || suffix === "_sum" || suffix === "_count";
  if (family.type === "summary") return suffix === "_sum" || suffix === "_count";
  return false;
}

function findOwner(families: Map<string, FamilyState>, name: string): FamilyState | undefined {
  const exact = families.get(name);
  if (exact !== undefined) return exact;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base !== undefined && owns(base.family, name)) return base;
  }
  return undefined;
}

function requireNumericLabel(labels: Label[], name: string, error: (reason: string) => ExpositionParseError): void {
  const label = labels.find((l) => l.name === name);
  if (label === undefined || parseSampleValue(label.value) === null) {
    throw error(`${name} label must be a number`);
  }
}

function skipBlanks(line: string, i: number): number {
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

function tokenEnd(line: string, i: number): number {
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) break;
    i++;
  }
  return i;
}

/** A double-quoted string at `i` (escapes `\\`, `\"`, `\n`); null when unterminated. */
function readQuoted(line: string, i: number): { value: string; end: number } | null {
  const j = closingQuote(line, i + 1);
  if (j < 0) return null;
  const raw = line.slice(i + 1, j);
  return { value: unescape(raw, true), end: j + 1 };
}

function unquoteName(token: string): string {
  if (token.length >= 2 && token.startsWith('"') && token.endsWith('"')) return unescape(token.slice(1, -1), true);
  return token;
}
