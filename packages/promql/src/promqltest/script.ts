import type { Label } from "../value";
import { parseDuration } from "./duration";
import {
  expandStartOffsets,
  expandValues,
  parseNumber,
  parseSeriesLine,
  type HistogramNotation,
  type SequenceValue,
} from "./series-desc";
import { unquote } from "./unquote";

export class ScriptSyntaxError extends Error {
  override readonly name = "ScriptSyntaxError";
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

export interface LoadSeries {
  readonly labels: Label[];
  readonly values: SequenceValue[];
  /** Start-timestamp offsets (ms relative to each sample), from a preceding `…@st` line. */
  readonly startOffsets?: (number | null)[];
}

export interface LoadCommand {
  readonly kind: "load";
  readonly line: number;
  readonly step: number;
  readonly withNHCB: boolean;
  readonly series: LoadSeries[];
  /** Series lines that could not be read (e.g. histogram literals without the histogram notation). */
  readonly broken: { line: number; error: string }[];
}

/** An expectation on annotations or errors: `msg` is exact, `regex` an unanchored RE2 search, neither = anything. */
export interface TextExpectation {
  readonly msg?: string;
  readonly regex?: string;
}

export interface EvalCommand {
  readonly kind: "eval";
  readonly line: number;
  readonly expr: string;
  /** Instant evaluation time (ms), or null for range evaluations. */
  readonly at: number | null;
  readonly range: { start: number; end: number; step: number } | null;
  readonly fail: TextExpectation | null;
  readonly warn: TextExpectation[];
  readonly noWarn: boolean;
  readonly info: TextExpectation[];
  readonly noInfo: boolean;
  readonly ordered: boolean;
  readonly rangeVector: { start: number; end: number; step: number } | null;
  readonly string: string | null;
  readonly scalar: number | null;
  readonly series: { labels: Label[]; values: SequenceValue[]; line: number }[];
  /** Why the expectations could not be read, if they could not; the runner skips such an eval. */
  readonly unreadable: string | null;
}

export type Command = { kind: "clear"; line: number } | LoadCommand | EvalCommand;

const EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(\S+))?\s+(.+)$/;
const EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/;
const EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.*))?$/;
const EXPECT_RANGE_VECTOR = /^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/;
const EXPECT_STRING = /^expect\s+string\s+(.*)$/;

/** Parses a promqltest script into commands (see the test data's FORMAT.md). */
export function parseScript(file: string, text: string, hist: HistogramNotation | null): Command[] {
  const lines = text.split("\n").map((l) => {
    const t = l.trim();
    return t.startsWith("#") ? "" : t;
  });
  const commands: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== "") end++;
    const header = lines[i];
    const body = lines.slice(i + 1, end);
    const fail = (offset: number, msg: string): ScriptSyntaxError => new ScriptSyntaxError(file, i + 1 + offset, msg);
    const word = header.split(/\s+/)[0].toLowerCase();
    try {
      if (word === "clear") {
        // clear takes only its own line; a command may follow directly.
        commands.push({ kind: "clear", line: i + 1 });
        continue;
      } else if (word.startsWith("load")) commands.push(parseLoad(header, body, i + 1, hist, fail));
      else if (word.startsWith("eval")) commands.push(parseEval(header, body, i + 1, hist, fail));
      else throw fail(0, `unknown command ${JSON.stringify(header)}`);
    } catch (e) {
      if (e instanceof ScriptSyntaxError) throw e;
      throw fail(0, (e as Error).message);
    }
    i = end;
  }
  return commands;
}

type Fail = (offset: number, msg: string) => ScriptSyntaxError;

function parseLoad(
  header: string,
  body: string[],
  line: number,
  hist: HistogramNotation | null,
  fail: Fail,
): LoadCommand {
  const m = /^(load|load_with_nhcb)\s+(\S+)$/.exec(header);
  if (!m) throw fail(0, `invalid load command ${JSON.stringify(header)}`);
  const series: LoadSeries[] = [];
  const broken: LoadCommand["broken"] = [];
  let pendingOffsets: { labels: Label[]; offsets: (number | null)[] } | null = null;
  for (let k = 0; k < body.length; k++) {
    const first = body[k].split(/\s+/)[0];
    if (first.endsWith("@st")) {
      const { labels, rest } = parseSeriesLine(body[k].replace("@st", ""));
      pendingOffsets = { labels, offsets: expandStartOffsets(rest) };
      continue;
    }
    const { labels, rest } = parseSeriesLine(body[k]);
    let values: SequenceValue[];
    try {
      values = expandValues(rest, hist);
    } catch (e) {
      broken.push({ line: line + k + 1, error: (e as Error).message });
      pendingOffsets = null;
      continue;
    }
    if (pendingOffsets) {
      if (pendingOffsets.offsets.length !== values.length) throw fail(k + 1, "start-timestamp line length differs");
      series.push({ labels, values, startOffsets: pendingOffsets.offsets });
      pendingOffsets = null;
    } else {
      series.push({ labels, values });
    }
  }
  return { kind: "load", line, step: parseDuration(m[2]), withNHCB: m[1] === "load_with_nhcb", series, broken };
}

function parseEval(
  header: string,
  body: string[],
  line: number,
  hist: HistogramNotation | null,
  fail: Fail,
): EvalCommand {
  let prefix: string | undefined;
  let expr: string;
  let at: number | null = null;
  let range: EvalCommand["range"] = null;
  const inst = EVAL_INSTANT.exec(header);
  if (inst) {
    prefix = inst[1];
    at = inst[2] === undefined ? 0 : parseDuration(inst[2]);
    expr = inst[3];
  } else {
    const r = EVAL_RANGE.exec(header);
    if (!r) throw fail(0, `invalid eval command ${JSON.stringify(header)}`);
    prefix = r[1];
    range = { start: parseDuration(r[2]), end: parseDuration(r[3]), step: parseDuration(r[4]) };
    if (range.end < range.start) throw fail(0, "invalid test definition, end timestamp is before start timestamp");
    expr = r[5];
  }
  let failExp: TextExpectation | null = prefix === "fail" ? {} : null;
  const warn: TextExpectation[] = prefix === "warn" ? [{}] : [];
  const info: TextExpectation[] = prefix === "info" ? [{}] : [];
  let noWarn = false;
  let noInfo = false;
  let ordered = prefix === "ordered";
  let rangeVector: EvalCommand["rangeVector"] = null;
  let str: string | null = null;
  let scalar: number | null = null;
  const series: EvalCommand["series"] = [];
  let unreadable: string | null = null;
  for (let k = 0; k < body.length; k++) {
    const text = body[k];
    if (prefix === "fail" && text.startsWith("expected_fail_message ")) {
      failExp = { msg: text.slice("expected_fail_message ".length).trim() };
      break;
    }
    if (prefix === "fail" && text.startsWith("expected_fail_regexp ")) {
      failExp = { regex: text.slice("expected_fail_regexp ".length).trim() };
      break;
    }
    const e = EXPECT.exec(text);
    if (e) {
      const exp: TextExpectation =
        e[2] === "msg" ? { msg: e[3].trim() } : e[2] === "regex" ? { regex: e[3].trim() } : {};
      switch (e[1]) {
        case "fail":
          if (failExp) throw fail(k + 1, "more than one expect fail");
          failExp = exp;
          break;
        case "warn":
          warn.push(exp);
          break;
        case "info":
          info.push(exp);
          break;
        case "no_warn":
          noWarn = true;
          break;
        case "no_info":
          noInfo = true;
          break;
        case "ordered":
          ordered = true;
          break;
      }
      continue;
    }
    const rv = EXPECT_RANGE_VECTOR.exec(text);
    if (rv) {
      rangeVector = { start: parseDuration(rv[1]), end: parseDuration(rv[2]), step: parseDuration(rv[3]) };
      continue;
    }
    const es = EXPECT_STRING.exec(text);
    if (es) {
      str = unquote(es[1].trim());
      continue;
    }
    const num = parseScalarLine(text);
    if (num !== null) {
      scalar = num;
      break;
    }
    const { labels, rest } = parseSeriesLine(text);
    let values: SequenceValue[];
    try {
      values = expandValues(rest, hist);
    } catch (err) {
      unreadable = (err as Error).message;
      continue;
    }
    if (at !== null && !rangeVector && values.length !== 1) {
      throw fail(k + 1, `expected 1 value for instant query, got ${values.length}`);
    }
    series.push({ labels, values, line: line + k + 1 });
  }
  if (warn.length > 0 && noWarn) throw fail(0, "invalid expect lines, warn and no_warn cannot be used together");
  if (info.length > 0 && noInfo) throw fail(0, "invalid expect lines, info and no_info cannot be used together");
  return {
    kind: "eval",
    line,
    expr,
    at,
    range,
    fail: failExp,
    warn,
    noWarn,
    info,
    noInfo,
    ordered,
    rangeVector,
    string: str,
    scalar,
    series,
    unreadable,
  };
}

/** A bare number line: an integer with optional base prefix, else a float. Returns null for anything else. */
function parseScalarLine(text: string): number | null {
  if (/\s/.test(text)) return null;
  if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.test(text)) {
    const neg = text.startsWith("-");
    const body = text.replace(/^[+-]/, "");
    let v: number;
    if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
    else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
    else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
    else if (/^0[0-7]+$/.test(body)) v = parseInt(body.slice(1), 8);
    else v = Number(body);
    return neg ? -v : v;
  }
  try {
    if (/^[+-]?(inf|infinity|nan|(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?)$/i.test(text)) return parseNumber(text);
  } catch {
    return null;
  }
  return null;
}
