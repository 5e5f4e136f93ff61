// Checks this folder against the expectations in Prometheus's own PromQL test scripts: every `eval instant` whose
// expression is one of the histogram operations below, applied directly to a loaded series, is evaluated with the
// functions of this folder on the loaded data (parsed with this folder's notation parser and converted with its
// NHCB conversion) and compared with the expected values the way Prometheus's test runner compares them. The
// surrounding PromQL (selection with 5m lookback, rate extrapolation) is re-done here in its simplest form; the
// engine's own runner covers the rest.
import { readFileSync } from "node:fs";
import { testdataPath } from "@edgeprom/testdata";
import { describe, expect, it } from "vitest";
import { HistogramKahanSum, HistogramMean } from "./accumulate";
import { histogramAdd, histogramDiv, histogramMul, histogramNeg, histogramSub } from "./arithmetic";
import { compactHistogram } from "./compact";
import { bucketFraction, bucketQuantile } from "./classic-quantile";
import type { ClassicBucket } from "./classic-quantile";
import { almostEqual, histogramsMatch } from "./compare";
import { formatHistogram, parseNotationNumber } from "./notation";
import { convertClassicHistogramsToNhcb } from "./nhcb";
import type { NhcbLabel } from "./nhcb";
import { histogramFraction, histogramQuantile } from "./quantile";
import { detectCounterReset } from "./reset";
import { histogramExtendedDelta } from "./extended-rate";
import { resolvedCounterResetHint, storedCounterResetHints } from "./hints";
import { histogramInterpolate } from "./interpolate";
import { histogramInstantDelta, histogramRangeDelta } from "./rate";
import { parseHistogramSequenceItem } from "./sequence";
import { histogramAvg, histogramStdDev, histogramStdVar } from "./statistics";
import { trimHistogram } from "./trim";
import type { FloatHistogram } from "./types";

type Labels = NhcbLabel[];
type Value = number | FloatHistogram;
interface Sample {
  t: number;
  v: Value | "stale";
}
interface Series {
  labels: Labels;
  samples: Sample[];
}
interface Expected {
  labels: Labels;
  value: Value;
  hintGiven: boolean;
}

const LOOKBACK = 5 * 60_000;

/** Thrown for expressions beyond this check (float rates of classic histograms, regex matchers). */
class NotHistogramData extends Error {}

function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000; // PromQL reads a bare number as seconds
  const units: Record<string, number> = { y: 31536e6, w: 6048e5, d: 864e5, h: 36e5, m: 6e4, s: 1e3, ms: 1 };
  let total = 0;
  const re = /(\d+)(ms|y|w|d|h|m|s)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * units[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== text.length) throw new Error(`bad duration ${text}`);
  return total;
}

/** `name{a="b", ...}` or `{...}`; returns the labels and the offset after the selector. */
function parseSeriesSelector(text: string): { labels: Labels; end: number } {
  if (/^[^{]*\{[^}]*(=~|!=|!~)/.test(text)) throw new NotHistogramData(); // only equality selectors here
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?/.exec(text)!;
  const labels: Labels = [];
  if (m[1]) labels.push({ name: "__name__", value: m[1] });
  let pos = m[0].length;
  if (text[pos] === "{") {
    const close = text.indexOf("}", pos);
    const body = text.slice(pos + 1, close);
    for (const pair of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) {
      labels.push({ name: pair[1], value: JSON.parse(`"${pair[2]}"`) as string });
    }
    pos = close + 1;
  }
  labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { labels, end: pos };
}

function expandFloat(token: string): (number | "stale" | undefined)[] {
  if (token === "_") return [undefined];
  if (token === "stale") return ["stale"];
  const omitted = /^_x(\d+)$/.exec(token);
  if (omitted) return new Array<undefined>(Number(omitted[1])).fill(undefined);
  const plain = parseNotationNumber(token);
  if (plain !== undefined) return [plain];
  const times = /^(.+)x(\d+)$/.exec(token);
  if (!times) throw new Error(`bad value ${token}`);
  const n = Number(times[2]);
  const body = times[1];
  const single = parseNotationNumber(body);
  if (single !== undefined) return new Array<number>(n + 1).fill(single);
  for (let i = 1; i < body.length; i++) {
    if (body[i] !== "+" && body[i] !== "-") continue;
    const a = parseNotationNumber(body.slice(0, i));
    const b = parseNotationNumber(body.slice(i + 1));
    if (a === undefined || b === undefined) continue;
    const out: number[] = [a];
    let cur = a;
    for (let k = 0; k < n; k++) out.push((cur = body[i] === "+" ? cur + b : cur - b));
    return out;
  }
  throw new Error(`bad value ${token}`);
}

function expandValues(text: string): { values: (Value | "stale" | undefined)[]; hintGiven: boolean } {
  const values: (Value | "stale" | undefined)[] = [];
  let hintGiven = false;
  let pos = 0;
  while (pos < text.length) {
    if (/\s/.test(text[pos])) {
      pos++;
      continue;
    }
    if (text.startsWith("{{", pos)) {
      const item = parseHistogramSequenceItem(text, pos);
      values.push(...item.values);
      hintGiven ||= item.counterResetHintGiven;
      pos = item.end;
      continue;
    }
    let end = pos;
    while (end < text.length && !/\s/.test(text[end])) end++;
    values.push(...expandFloat(text.slice(pos, end)));
    pos = end;
  }
  return { values, hintGiven };
}

const key = (labels: Labels, dropName: boolean): string =>
  labels
    .filter((l) => !dropName || l.name !== "__name__")
    .map((l) => `${l.name}=${l.value}`)
    .join(",");

function matches(series: Labels, selector: Labels): boolean {
  return selector.every((m) => (series.find((l) => l.name === m.name)?.value ?? "") === m.value);
}

/** The samples as the TSDB would return them: histograms carry the hints a read-back gives them. */
function withStoredHints(s: Series): Series {
  const samples = s.samples.map((x) => ({ ...x }));
  let run: Sample[] = [];
  const flush = (): void => {
    const hints = storedCounterResetHints(run.map((x) => x.v as FloatHistogram));
    run.forEach((x, k) => (x.v = { ...(x.v as FloatHistogram), counterResetHint: hints[k] }));
    run = [];
  };
  for (const x of samples) {
    if (typeof x.v === "object") run.push(x);
    else flush();
  }
  flush();
  return { labels: s.labels, samples };
}

/**
 * With `statsOnly` (the expression reads only count and sum), hints are resolved as Prometheus's
 * HistogramStatsIterator does while it walks the window: unknown → reset / not_reset by detection against the previous
 * histogram it read.
 */
function resolveStatsHints(samples: Sample[]): Sample[] {
  let prev: FloatHistogram | undefined;
  return samples.map((x) => {
    if (typeof x.v !== "object") {
      prev = undefined;
      return x;
    }
    const resolved = { ...x.v, counterResetHint: resolvedCounterResetHint(x.v, prev) };
    prev = x.v;
    return { t: x.t, v: resolved };
  });
}

function instantSelect(
  store: Map<string, Series>,
  selector: Labels,
  t: number,
  statsOnly = false,
): { labels: Labels; value: Value }[] {
  const out: { labels: Labels; value: Value }[] = [];
  for (const stored of store.values()) {
    const s = withStoredHints(stored);
    if (!matches(s.labels, selector)) continue;
    let window = s.samples.filter((sample) => sample.t <= t && sample.t > t - LOOKBACK);
    if (statsOnly) window = resolveStatsHints(window);
    const last = window[window.length - 1];
    if (last && last.v !== "stale") out.push({ labels: s.labels, value: last.v });
  }
  return out;
}

function rangeSelect(
  store: Map<string, Series>,
  selector: Labels,
  t: number,
  range: number,
  statsOnly = false,
): { labels: Labels; samples: Sample[] }[] {
  const out: { labels: Labels; samples: Sample[] }[] = [];
  for (const stored of store.values()) {
    const s = withStoredHints(stored);
    if (!matches(s.labels, selector)) continue;
    let samples = s.samples.filter((x) => x.t <= t && x.t > t - range && x.v !== "stale");
    if (statsOnly) samples = resolveStatsHints(samples);
    if (samples.length > 0) out.push({ labels: s.labels, samples });
  }
  return out;
}

/** Prometheus's extrapolatedRate for histogram samples, around histogramRangeDelta. */
function histogramRate(
  samples: Sample[],
  t: number,
  range: number,
  isCounter: boolean,
  isRate: boolean,
): FloatHistogram | undefined {
  if (samples.length < 2 || samples.some((s) => typeof s.v === "number")) return undefined;
  const hs = samples.map((s) => s.v as FloatHistogram);
  const result = histogramRangeDelta(hs, isCounter).histogram;
  if (!result) return undefined;
  const firstT = samples[0].t;
  const lastT = samples[samples.length - 1].t;
  let durationToStart = (firstT - (t - range)) / 1000;
  let durationToEnd = (t - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const average = sampledInterval / (samples.length - 1);
  const threshold = average * 1.1;
  if (durationToStart >= threshold) durationToStart = average / 2;
  if (isCounter && result.count > 0 && hs[0].count >= 0) {
    const durationToZero = sampledInterval * (hs[0].count / result.count);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = average / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= range / 1000;
  return histogramMul(result, factor);
}

/** rate/increase/delta with `anchored` or `smoothed`, around histogramExtendedDelta. */
function extendedRate(
  store: Map<string, Series>,
  fn: string,
  selector: Labels,
  t: number,
  range: number,
  smoothed: boolean,
): { labels: Labels; value: Value }[] {
  const out: { labels: Labels; value: Value }[] = [];
  for (const stored of store.values()) {
    const s = withStoredHints(stored);
    if (!matches(s.labels, selector)) continue;
    const rangeStart = t - range;
    const inWindow = s.samples.filter((x) => x.t > rangeStart - LOOKBACK && x.t <= t && x.v !== "stale");
    const after = s.samples.find((x) => x.t > t && x.v !== "stale");
    const used = smoothed && after ? [...inWindow, after] : inWindow;
    if (used.length === 0) continue;
    if (used.some((x) => typeof x.v !== "object")) throw new NotHistogramData();
    const r = histogramExtendedDelta(
      used.map((x) => ({ t: x.t, h: x.v as FloatHistogram })),
      rangeStart,
      t,
      smoothed,
      fn !== "delta",
    );
    if (!r.histogram) continue;
    const value = fn === "rate" ? histogramDiv(r.histogram, range / 1000) : r.histogram;
    out.push({ labels: s.labels.filter((l) => l.name !== "__name__"), value });
  }
  return out;
}

/** A `smoothed` instant selector: the histogram interpolated between the samples around t. */
function smoothedSelect(store: Map<string, Series>, selector: Labels, t: number): { labels: Labels; value: Value }[] {
  const out: { labels: Labels; value: Value }[] = [];
  for (const stored of store.values()) {
    const s = withStoredHints(stored);
    if (!matches(s.labels, selector)) continue;
    const before = s.samples.filter((x) => x.t <= t && x.t > t - LOOKBACK).pop();
    const after = s.samples.find((x) => x.t > t);
    if (!before || before.v === "stale") continue;
    if (typeof before.v !== "object" || (after && typeof after.v !== "object")) throw new NotHistogramData();
    const value =
      before.t === t || !after
        ? before.v
        : histogramInterpolate(before.v, after.v as FloatHistogram, (t - before.t) / (after.t - before.t)).histogram;
    out.push({ labels: s.labels, value });
  }
  return out;
}

/** Prometheus's instantValue for two histogram samples, around histogramInstantDelta. */
function histogramInstantRate(samples: Sample[], isRate: boolean): FloatHistogram | undefined {
  if (samples.length < 2) return undefined;
  const [a, b] = samples.slice(-2);
  if (typeof a.v === "number" || typeof b.v === "number" || a.v === "stale" || b.v === "stale") return undefined;
  const result = histogramInstantDelta(a.v, b.v, isRate).histogram;
  if (!result || !isRate) return result;
  return histogramDiv(result, (b.t - a.t) / 1000);
}

const SEL = String.raw`[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?`;
const NUM = String.raw`[-+]?(?:[0-9.]+(?:e[-+]?\d+)?|Inf|NaN)`;
const INNER = String.raw`(?:${SEL}(?: smoothed)?|(?:rate|increase|delta|irate|idelta|sum_over_time|avg_over_time)\(${SEL}\[\w+\]( anchored| smoothed)?\))`;

interface Outcome {
  results: { labels: Labels; value: Value }[];
  infos: string[];
  warns?: string[];
}

/** Evaluates the expressions this check understands; undefined for the rest. */
function evaluate(expr: string, store: Map<string, Series>, t: number): Outcome | undefined {
  const infos: string[] = [];
  const warns: string[] = [];
  const statsOnly = /^histogram_(count|sum|avg)\((sum|avg|sum_over_time|avg_over_time)\(/.test(expr);
  const inner = (text: string): { labels: Labels; value: Value }[] => {
    const ext = /^(rate|increase|delta)\((.+)\[(\w+)\] (anchored|smoothed)\)$/.exec(text);
    if (ext)
      return extendedRate(
        store,
        ext[1],
        parseSeriesSelector(ext[2]).labels,
        t,
        parseDuration(ext[3]),
        ext[4] === "smoothed",
      );
    const smooth = /^(.+) smoothed$/.exec(text);
    if (smooth) return smoothedSelect(store, parseSeriesSelector(smooth[1]).labels, t);
    const fn = /^(rate|increase|delta|irate|idelta|sum_over_time|avg_over_time)\((.+)\[(\w+)\]\)$/.exec(text);
    if (!fn) return instantSelect(store, parseSeriesSelector(text).labels, t, statsOnly);
    const range = parseDuration(fn[3]);
    const out: { labels: Labels; value: Value }[] = [];
    for (const s of rangeSelect(store, parseSeriesSelector(fn[2]).labels, t, range, statsOnly)) {
      if (s.samples.some((x) => typeof x.v === "number")) throw new NotHistogramData();
      if (fn[1].endsWith("_over_time")) {
        const acc = fn[1] === "sum_over_time" ? new HistogramKahanSum() : new HistogramMean();
        for (const x of s.samples) if (acc.add(x.v as FloatHistogram).counterResetCollision) warns.push("conflicting");
        out.push({ labels: s.labels.filter((l) => l.name !== "__name__"), value: compactHistogram(acc.result()!, 0) });
        continue;
      }
      const h =
        fn[1] === "irate" || fn[1] === "idelta"
          ? histogramInstantRate(s.samples, fn[1] === "irate")
          : histogramRate(s.samples, t, range, fn[1] !== "delta", fn[1] === "rate");
      if (h) out.push({ labels: s.labels.filter((l) => l.name !== "__name__"), value: h });
    }
    return out;
  };
  const dropName = (labels: Labels): Labels => labels.filter((l) => l.name !== "__name__");
  const num = (text: string): number => parseNotationNumber(text)!;

  let m = new RegExp(`^histogram_(count|sum|avg|stddev|stdvar)\\((${INNER})\\)$`).exec(expr);
  if (m) {
    const fns: Record<string, (h: FloatHistogram) => number> = {
      count: (h) => h.count,
      sum: (h) => h.sum,
      avg: histogramAvg,
      stddev: histogramStdDev,
      stdvar: histogramStdVar,
    };
    const results = inner(m[2])
      .filter((r) => typeof r.value !== "number")
      .map((r) => ({ labels: dropName(r.labels), value: fns[m![1]](r.value as FloatHistogram) }));
    return { results, infos, warns };
  }
  m = new RegExp(`^histogram_(quantile|fraction)\\(\\s*(${NUM})\\s*,\\s*(?:(${NUM})\\s*,\\s*)?(${INNER})\\)$`).exec(
    expr,
  );
  if (m && (m[1] === "quantile") === (m[3] === undefined)) {
    const results: { labels: Labels; value: Value }[] = [];
    const classic = new Map<string, { labels: Labels; buckets: ClassicBucket[] }>();
    for (const r of inner(m[4])) {
      if (typeof r.value === "number") {
        const le = r.labels.find((l) => l.name === "le");
        const bound = le ? parseNotationNumber(le.value) : undefined;
        if (bound === undefined || Number.isNaN(bound)) return undefined; // the engine warns and drops: not ours
        const labels = r.labels.filter((l) => l.name !== "le" && l.name !== "__name__");
        const k = key(labels, false);
        const group = classic.get(k) ?? { labels, buckets: [] };
        group.buckets.push({ upperBound: bound, count: r.value });
        classic.set(k, group);
        continue;
      }
      if (m[1] === "quantile") {
        const q = histogramQuantile(num(m[2]), r.value);
        if (q.nanObservations) infos.push(`quantile NaN ${q.nanObservations}`);
        results.push({ labels: dropName(r.labels), value: q.value });
      } else {
        const f = histogramFraction(num(m[2]), num(m[3]), r.value);
        if (f.nanObservationsExcluded) infos.push("fraction NaN excluded");
        results.push({ labels: dropName(r.labels), value: f.value });
      }
    }
    for (const g of classic.values()) {
      if (m[1] === "quantile") {
        const q = bucketQuantile(num(m[2]), g.buckets);
        if (q.forcedMonotonic) infos.push("monotonicity");
        results.push({ labels: g.labels, value: q.value });
      } else {
        results.push({ labels: g.labels, value: bucketFraction(num(m[2]), num(m[3]), g.buckets) });
      }
    }
    return { results, infos };
  }
  m = new RegExp(`^(${SEL})\\s*(</|>/)\\s*(${NUM})$`).exec(expr);
  if (m) {
    const results = instantSelect(store, parseSeriesSelector(m[1]).labels, t)
      .filter((r) => typeof r.value !== "number")
      .map((r) => ({
        labels: r.labels,
        value: trimHistogram(r.value as FloatHistogram, m![2] === "</" ? "upper" : "lower", num(m![3])),
      }));
    return { results, infos };
  }
  m = new RegExp(`^resets\\((${SEL})\\[(\\w+)\\]\\)$`).exec(expr);
  if (m) {
    const results: { labels: Labels; value: Value }[] = [];
    for (const s of rangeSelect(store, parseSeriesSelector(m[1]).labels, t, parseDuration(m[2]))) {
      let resets = 0;
      for (let k = 1; k < s.samples.length; k++) {
        const [a, b] = [s.samples[k - 1].v, s.samples[k].v];
        if (typeof a === "number" && typeof b === "number") resets += b < a ? 1 : 0;
        else if (typeof a === "number" || typeof b === "number") resets++;
        else if (detectCounterReset(b as FloatHistogram, a as FloatHistogram)) resets++;
      }
      results.push({ labels: dropName(s.labels), value: resets });
    }
    return { results, infos };
  }
  m = new RegExp(`^(sum|avg)\\((${INNER})\\)$`).exec(expr);
  if (m) {
    const values = inner(m[2]).map((r) => r.value);
    if (values.length === 0) return { results: [], infos };
    if (values.some((v) => typeof v === "number")) return undefined;
    const acc = m[1] === "sum" ? new HistogramKahanSum() : new HistogramMean();
    for (const v of values) if (acc.add(v as FloatHistogram).counterResetCollision) warns.push("conflicting");
    return { results: [{ labels: [], value: compactHistogram(acc.result()!, 0) }], infos, warns };
  }
  m = new RegExp(`^(-?)(${SEL}|${NUM})\\s*([-+*/])\\s*(${SEL}|${NUM})$`).exec(expr);
  if (m && !(parseNotationNumber(m[2]) !== undefined && parseNotationNumber(m[4]) !== undefined)) {
    const operand = (text: string, negate: boolean): { labels: Labels; value: Value }[] | number => {
      const n = parseNotationNumber(text);
      if (n !== undefined) return negate ? -n : n;
      return instantSelect(store, parseSeriesSelector(text).labels, t).map((r) => ({
        labels: dropName(r.labels),
        value: !negate ? r.value : typeof r.value === "number" ? -r.value : histogramNeg(r.value),
      }));
    };
    const left = operand(m[2], m[1] === "-");
    const right = operand(m[4], false);
    const op = m[3];
    const apply = (a: Value, b: Value): Value | undefined => {
      if (typeof a === "number" && typeof b === "number") {
        return op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
      }
      if (typeof a !== "number" && typeof b !== "number") {
        if (op === "+") return histogramAdd(a, b).histogram;
        if (op === "-") return { ...histogramSub(a, b).histogram, counterResetHint: "gauge" };
        return undefined;
      }
      if (op === "*")
        return typeof a === "number" ? histogramMul(b as FloatHistogram, a) : histogramMul(a, b as number);
      if (op === "/" && typeof b === "number") return histogramDiv(a as FloatHistogram, b);
      return undefined;
    };
    const results: { labels: Labels; value: Value }[] = [];
    if (typeof left === "number" || typeof right === "number") {
      const vector = typeof left === "number" ? (right as { labels: Labels; value: Value }[]) : left;
      for (const r of vector) {
        const v = typeof left === "number" ? apply(left, r.value) : apply(r.value, right as number);
        if (v !== undefined) results.push({ labels: r.labels, value: v });
      }
    } else {
      for (const l of left) {
        const r = right.find((x) => key(x.labels, true) === key(l.labels, true));
        const v = r && apply(l.value, r.value);
        if (v !== undefined) results.push({ labels: l.labels, value: v });
      }
    }
    return { results, infos };
  }
  m = new RegExp(`^(${INNER})$`).exec(expr);
  if (m) return { results: inner(m[1]), infos };
  return undefined;
}

const KNOWN_INFOS: [RegExp, string][] = [
  [/histogram_quantile has NaN observations, result is skewed higher/, "quantile NaN skewedHigher"],
  [/histogram_quantile has NaN observations, result is NaN/, "quantile NaN resultIsNaN"],
  [/histogram_fraction has NaN observations/, "fraction NaN excluded"],
  [/needed to be fixed for monotonicity/, "monotonicity"],
];

interface CheckResult {
  checked: number;
  failures: string[];
}

function runFile(file: string): CheckResult {
  const lines = readFileSync(testdataPath("promql", file), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .map((l) => (l.startsWith("#") ? "" : l));
  let store = new Map<string, Series>();
  const failures: string[] = [];
  let checked = 0;
  let i = 0;
  while (i < lines.length) {
    const header = lines[i];
    if (header === "") {
      i++;
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== "") end++;
    const body = lines.slice(start, end);
    const lineNo = i + 1;
    i = end;
    if (header === "clear") {
      // A one-line command: what follows it directly is the next command.
      store = new Map();
      i = start;
      continue;
    }
    const load = /^(load|load_with_nhcb) (\S+)$/.exec(header);
    if (load) {
      const step = parseDuration(load[2]);
      const block: Series[] = [];
      for (const line of body) {
        const sel = parseSeriesSelector(line);
        const { values } = expandValues(line.slice(sel.end));
        const samples: Sample[] = [];
        values.forEach((v, k) => {
          if (v !== undefined) samples.push({ t: k * step, v });
        });
        block.push({ labels: sel.labels, samples });
      }
      for (const s of block) {
        const k = key(s.labels, false);
        const existing = store.get(k);
        if (existing) existing.samples.push(...s.samples);
        else store.set(k, { labels: s.labels, samples: [...s.samples] });
      }
      if (load[1] === "load_with_nhcb") {
        const classic = block.map((s) => ({
          labels: s.labels,
          samples: s.samples.filter((x) => typeof x.v === "number").map((x) => ({ t: x.t, value: x.v as number })),
        }));
        for (const n of convertClassicHistogramsToNhcb(classic)) {
          const k = key(n.labels, false);
          const samples = n.samples.map((x) => ({ t: x.t, v: x.histogram }));
          const existing = store.get(k);
          if (existing) existing.samples.push(...samples);
          else store.set(k, { labels: n.labels, samples });
        }
      }
      continue;
    }
    const ev = /^eval instant at (\S+) (.+)$/.exec(header);
    if (!ev) continue;
    const expectLines = body.filter((l) => l.startsWith("expect "));
    if (expectLines.some((l) => /^expect (fail|range|string)/.test(l))) continue;
    const expectedWarns = expectLines.filter((l) => /^expect warn/.test(l));
    // The only warning this folder decides: counter-reset conflicts in histogram aggregation.
    if (expectedWarns.some((l) => !/conflicting counter resets during histogram aggregation/.test(l))) continue;
    const noWarn = expectLines.some((l) => l === "expect no_warn");
    const expectedInfos = expectLines
      .filter((l) => /^expect info/.test(l))
      .map((l) => l.replace(/^expect info\s*(msg:|regex:)?\s*/, ""));
    if (expectedInfos.some((msg) => msg === "" || !KNOWN_INFOS.some(([re]) => re.test(msg)))) continue;
    const noInfo = expectLines.some((l) => l === "expect no_info");
    let outcome: Outcome | undefined;
    try {
      outcome = evaluate(ev[2].trim(), store, parseDuration(ev[1]));
    } catch (e) {
      if (e instanceof NotHistogramData) continue;
      throw e;
    }
    if (!outcome) continue;
    checked++;
    const where = `${file}:${lineNo} ${ev[2]}`;
    const expected: Expected[] = body
      .filter((l) => !l.startsWith("expect "))
      .map((l) => {
        const sel = parseSeriesSelector(l);
        const { values, hintGiven } = expandValues(l.slice(sel.end));
        return { labels: sel.labels, value: values[0] as Value, hintGiven };
      });
    const actual = new Map(outcome.results.map((r) => [key(r.labels, true), r.value]));
    if (actual.size !== expected.length) {
      failures.push(`${where}: expected ${expected.length} series, got ${actual.size}`);
      continue;
    }
    for (const e of expected) {
      const a = actual.get(key(e.labels, true));
      const show = (v: Value | undefined): string =>
        v === undefined ? "nothing" : typeof v === "number" ? String(v) : formatHistogram(v);
      const ok =
        a !== undefined &&
        (typeof e.value === "number"
          ? typeof a === "number" && almostEqual(e.value, a, 1e-6)
          : typeof a !== "number" && histogramsMatch(e.value, a, { compareCounterResetHint: e.hintGiven }));
      if (!ok) failures.push(`${where}: {${key(e.labels, true)}} expected ${show(e.value)}, got ${show(a)}`);
    }
    const warns = outcome.warns ?? [];
    if (expectedWarns.length > 0 && !warns.includes("conflicting")) failures.push(`${where}: missing warning`);
    if (noWarn && warns.length > 0) failures.push(`${where}: unexpected warnings ${warns.join(", ")}`);
    const wanted = expectedInfos.map((msg) => KNOWN_INFOS.find(([re]) => re.test(msg))![1]);
    for (const w of wanted) if (!outcome.infos.includes(w)) failures.push(`${where}: missing info ${w}`);
    if ((noInfo || wanted.length > 0) && outcome.infos.some((x) => !wanted.includes(x))) {
      failures.push(`${where}: unexpected info ${outcome.infos.join(", ")}`);
    }
  }
  return { checked, failures };
}

describe("Prometheus test scripts, histogram operations", () => {
  for (const [file, minimum] of [
    ["native_histograms.test", 360],
    ["histograms.test", 90],
    ["functions.test", 15],
    ["extended_vectors.test", 25],
    ["operators.test", 5],
  ] as const) {
    it(`matches the expectations in ${file}`, () => {
      const { checked, failures } = runFile(file);
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(minimum);
    });
  }
});
