import { compactHistogram } from "./compact";
import { HistogramNotationError } from "./errors";
import { formatGoFloat } from "../format";
import type { CounterResetHint, FloatHistogram } from "./types";
import { makeHistogram, usesCustomBuckets } from "./types";

/**
 * The native histogram literal of Prometheus's test scripts and promtool rule tests:
 * `{{schema:0 sum:5 count:4 z_bucket:1 z_bucket_w:0.001 buckets:[1 2 1] offset:0 n_buckets:[1] n_offset:0
 * custom_values:[1 2] counter_reset_hint:gauge}}`. Keys are optional and may come in any order, each at most once.
 */

export interface ParsedHistogramLiteral {
  histogram: FloatHistogram;
  /** Whether `counter_reset_hint` was written; expectations compare the hint only then. */
  counterResetHintGiven: boolean;
  /** Offset just past the closing `}}`. */
  end: number;
}

const HINTS: Record<string, CounterResetHint> = {
  unknown: "unknown",
  reset: "counterReset",
  not_reset: "notCounterReset",
  gauge: "gauge",
};

const HINT_NAMES: Record<CounterResetHint, string> = {
  unknown: "unknown",
  counterReset: "reset",
  notCounterReset: "not_reset",
  gauge: "gauge",
};

const NUMBER =
  /^[+-]?(?:(?:inf(?:inity)?|nan)|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[+-]?\d(?:_?\d)*)?)$/i;

/** A float as the series notation writes it: decimal, scientific, leading dot, `_` between digits, Inf, NaN. */
export function parseNotationNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const lower = text.toLowerCase().replace(/_/g, "");
  const sign = lower.startsWith("-") ? -1 : 1;
  const body = lower.replace(/^[+-]/, "");
  if (body === "inf" || body === "infinity") return sign * Infinity;
  if (body === "nan") return NaN;
  return sign * Number(body);
}

/** Parses one `{{...}}` literal starting at `start` (which must point at `{{`). */
export function parseHistogramLiteral(text: string, start = 0): ParsedHistogramLiteral {
  if (!text.startsWith("{{", start)) throw new HistogramNotationError("expected '{{'", start);
  const close = text.indexOf("}}", start + 2);
  if (close < 0) throw new HistogramNotationError("missing '}}' after histogram", start);
  const body = text.slice(start + 2, close);
  const bodyStart = start + 2;
  const seen = new Set<string>();
  const init: Partial<FloatHistogram> = {};
  let hintGiven = false;
  let buckets: number[] | undefined;
  let nBuckets: number[] | undefined;
  let offset = 0;
  let nOffset = 0;

  // Items are key:value with value a number, a word or a bracketed list; whitespace separates items.
  const item = /\s*([a-z_]+)\s*:\s*(\[[^\]]*\]|[^\s\]]+)\s*/gy;
  let pos = 0;
  while (pos < body.length) {
    if (/^\s*$/.test(body.slice(pos))) break;
    item.lastIndex = pos;
    const m = item.exec(body);
    if (!m)
      throw new HistogramNotationError(`malformed histogram item at '${body.slice(pos, pos + 20)}'`, bodyStart + pos);
    const [, key, raw] = m;
    const at = bodyStart + pos;
    pos = item.lastIndex;
    if (seen.has(key)) throw new HistogramNotationError(`duplicate histogram key '${key}'`, at);
    seen.add(key);
    const num = (): number => {
      const v = parseNotationNumber(raw);
      if (v === undefined) throw new HistogramNotationError(`'${key}' needs a number, got '${raw}'`, at);
      return v;
    };
    const int = (): number => {
      const v = num();
      if (!Number.isInteger(v)) throw new HistogramNotationError(`'${key}' needs an integer, got '${raw}'`, at);
      return v;
    };
    const list = (): number[] => {
      if (!raw.startsWith("[")) throw new HistogramNotationError(`'${key}' needs a [list], got '${raw}'`, at);
      const inner = raw.slice(1, -1).trim();
      if (inner === "") return [];
      return inner.split(/\s+/).map((t) => {
        const v = parseNotationNumber(t);
        if (v === undefined) throw new HistogramNotationError(`'${key}' has a non-number '${t}'`, at);
        return v;
      });
    };
    switch (key) {
      case "schema":
        init.schema = int();
        break;
      case "sum":
        init.sum = num();
        break;
      case "count":
        init.count = num();
        break;
      case "z_bucket":
        init.zeroCount = num();
        break;
      case "z_bucket_w": {
        const w = num();
        if (w < 0) throw new HistogramNotationError(`'z_bucket_w' cannot be negative`, at);
        init.zeroThreshold = w;
        break;
      }
      case "buckets":
        buckets = list();
        break;
      case "n_buckets":
        nBuckets = list();
        break;
      case "offset":
        offset = int();
        break;
      case "n_offset":
        nOffset = int();
        break;
      case "custom_values":
        init.customValues = list();
        break;
      case "counter_reset_hint": {
        const hint = HINTS[raw];
        if (!hint) throw new HistogramNotationError(`unknown counter_reset_hint '${raw}'`, at);
        init.counterResetHint = hint;
        hintGiven = true;
        break;
      }
      default:
        throw new HistogramNotationError(`unknown histogram key '${key}'`, at);
    }
  }
  if (buckets && buckets.length > 0) {
    init.positiveSpans = [{ offset, length: buckets.length }];
    init.positiveBuckets = buckets;
  }
  if (nBuckets && nBuckets.length > 0) {
    init.negativeSpans = [{ offset: nOffset, length: nBuckets.length }];
    init.negativeBuckets = nBuckets;
  }
  return { histogram: makeHistogram(init), counterResetHintGiven: hintGiven, end: close + 2 };
}

/** Parses a string that is exactly one histogram literal (surrounding whitespace allowed). */
export function parseHistogram(text: string): FloatHistogram {
  const start = text.length - text.trimStart().length;
  const parsed = parseHistogramLiteral(text, start);
  if (text.slice(parsed.end).trim() !== "") {
    throw new HistogramNotationError("unexpected text after histogram", parsed.end);
  }
  return parsed.histogram;
}

/**
 * The histogram in the test notation (as Prometheus's TestExpression), with all buckets of a side in one span and
 * zero-valued fields left out. Used in failure messages; parseHistogram reads it back.
 */
export function formatHistogram(h: FloatHistogram): string {
  const m = compactHistogram(h, Number.MAX_SAFE_INTEGER);
  const out: string[] = [];
  if (m.schema !== 0) out.push(`schema:${m.schema}`);
  if (m.count !== 0) out.push(`count:${formatGoFloat(m.count)}`);
  if (m.sum !== 0) out.push(`sum:${formatGoFloat(m.sum)}`);
  if (m.zeroCount !== 0) out.push(`z_bucket:${formatGoFloat(m.zeroCount)}`);
  if (m.zeroThreshold !== 0) out.push(`z_bucket_w:${formatGoFloat(m.zeroThreshold)}`);
  if (usesCustomBuckets(m)) out.push(`custom_values:[${m.customValues.map(formatGoFloat).join(" ")}]`);
  if (m.counterResetHint !== "unknown") out.push(`counter_reset_hint:${HINT_NAMES[m.counterResetHint]}`);
  const side = (bucketsKey: string, offsetKey: string, offset: number | undefined, counts: number[]): void => {
    if (offset !== undefined && offset !== 0) out.push(`${offsetKey}:${offset}`);
    if (counts.length > 0) out.push(`${bucketsKey}:[${counts.map(formatGoFloat).join(" ")}]`);
  };
  side("buckets", "offset", m.positiveSpans[0]?.offset, m.positiveBuckets);
  side("n_buckets", "n_offset", m.negativeSpans[0]?.offset, m.negativeBuckets);
  return `{{${out.join(" ")}}}`;
}
