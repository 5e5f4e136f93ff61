import { histogramAdd, histogramSub } from "./arithmetic";
import { HistogramNotationError, HistogramSchemaMixError } from "./errors";
import { parseHistogramLiteral } from "./notation";
import type { FloatHistogram } from "./types";
import { copyHistogram, usesCustomBuckets } from "./types";

/** The histograms one item of a series description expands to. */
export interface HistogramSequenceItem {
  values: FloatHistogram[];
  /** Whether the first literal wrote `counter_reset_hint` (expectations compare the hint only then). */
  counterResetHintGiven: boolean;
  /** Offset just past the item. */
  end: number;
}

/**
 * Expands one histogram item of a `load` line or expectation, starting at `start` (which points at `{{`):
 * `{{A}}` → A; `{{A}}xN` → N+1 copies; `{{A}}+{{B}}xN` → A, A+B, A+2B, … (N+1 values, by repeated addition);
 * `{{A}}-{{B}}xN` likewise with subtraction. The increment must have the same or a higher resolution than the
 * running value, as in Prometheus. The item must be followed by whitespace or the end of the text.
 */
export function parseHistogramSequenceItem(text: string, start: number): HistogramSequenceItem {
  const first = parseHistogramLiteral(text, start);
  let pos = first.end;
  let values: FloatHistogram[];
  const op = text[pos];
  if ((op === "+" || op === "-") && text.startsWith("{{", pos + 1)) {
    const increment = parseHistogramLiteral(text, pos + 1);
    pos = increment.end;
    const times = parseTimes(text, pos);
    if (!times) throw new HistogramNotationError(`'${op}' between histograms needs 'xN' after it`, pos);
    pos = times.end;
    values = [first.histogram];
    let current = first.histogram;
    for (let i = 1; i <= times.n; i++) {
      if (usesCustomBuckets(current) !== usesCustomBuckets(increment.histogram)) {
        throw new HistogramNotationError(new HistogramSchemaMixError().message, start);
      }
      if (current.schema > increment.histogram.schema) {
        throw new HistogramNotationError(
          `cannot combine histograms: the increment's schema ${increment.histogram.schema} is coarser than ${current.schema}`,
          start,
        );
      }
      const combined =
        op === "+" ? histogramAdd(current, increment.histogram) : histogramSub(current, increment.histogram);
      current = combined.histogram;
      values.push(current);
    }
  } else {
    const times = parseTimes(text, pos);
    if (times) {
      pos = times.end;
      values = [first.histogram];
      for (let i = 0; i < times.n; i++) values.push(copyHistogram(first.histogram));
    } else {
      values = [first.histogram];
    }
  }
  if (pos < text.length && !/\s/.test(text[pos])) {
    throw new HistogramNotationError(`unexpected '${text[pos]}' after histogram`, pos);
  }
  return { values, counterResetHintGiven: first.counterResetHintGiven, end: pos };
}

function parseTimes(text: string, pos: number): { n: number; end: number } | undefined {
  const m = /^x(\d+)/.exec(text.slice(pos, pos + 24));
  if (!m) return undefined;
  return { n: Number(m[1]), end: pos + m[0].length };
}
