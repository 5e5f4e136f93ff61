import type { FloatHistogram } from "../histogram/types";
import type { Expr, VectorSelector } from "../parser/ast";
import { parseExpr } from "../parser/parser";
import type { Queryable, Series } from "../storage";
import { compareLabels, withoutNameLabels, type Labels } from "../value";
import { Annotations } from "./annotations";
import { EvaluationError, InvalidQueryError, QueryCanceledError, QueryTimeoutError, StorageError } from "./errors";
import { Evaluator } from "./evaluator";
import { expandInfoDefaults } from "./info";
import { mergeSeriesPoints } from "./merge-series";
import { statsDecodingSelectors } from "./stats-decoding";
import { planSelects, resolveDurations } from "./plan";
import { validateQuery } from "./validate";
import { FLOAT, HIST, makeStepRange, type EvalValue, type RangeSeries, type StepSeries } from "./types";

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (ms). Default 5 minutes. */
  lookbackDelta?: number;
  /** Samples a query may hold in memory at once. Default 50 million. */
  maxSamples?: number;
  /** Query timeout (ms). Default 2 minutes. */
  timeout?: number;
  /** Serve experimental functions and aggregations (Prometheus's promql-experimental-functions). */
  enableExperimentalFunctions?: boolean;
  /** Resolution of subqueries without a step (`[5m:]`), ms. Default 1 minute. */
  defaultSubqueryStep?: number;
  /** Let rate/increase use samples' start timestamps where storage has them. */
  enableStartTimestamps?: boolean;
}

export interface QueryOptions {
  lookbackDelta?: number;
  signal?: AbortSignal;
}

export interface InstantSample {
  labels: Labels;
  t: number;
  /** The float value, or null for a histogram sample. */
  f: number | null;
  h: FloatHistogram | null;
}

export interface MatrixSeries {
  labels: Labels;
  floats: { t: number; f: number }[];
  histograms: { t: number; h: FloatHistogram }[];
}

export type QueryValue =
  | { type: "scalar"; t: number; v: number }
  | { type: "string"; t: number; v: string }
  | { type: "vector"; samples: InstantSample[] }
  | { type: "matrix"; series: MatrixSeries[] };

export interface QueryResult {
  value: QueryValue;
  warnings: string[];
  infos: string[];
}

/** The PromQL engine: parses, fetches every selector's series up front (in parallel), then evaluates. */
export class Engine {
  readonly lookbackDelta: number;
  readonly maxSamples: number;
  readonly timeout: number;
  readonly enableExperimentalFunctions: boolean;
  readonly defaultSubqueryStep: number;
  readonly enableStartTimestamps: boolean;

  constructor(options: EngineOptions = {}) {
    this.lookbackDelta = options.lookbackDelta ?? 5 * 60_000;
    this.maxSamples = options.maxSamples ?? 50_000_000;
    this.timeout = options.timeout ?? 120_000;
    this.enableExperimentalFunctions = options.enableExperimentalFunctions ?? false;
    this.defaultSubqueryStep = options.defaultSubqueryStep ?? 60_000;
    this.enableStartTimestamps = options.enableStartTimestamps ?? false;
  }

  parse(query: string): Expr {
    return parseExpr(query, { experimentalFunctions: this.enableExperimentalFunctions });
  }

  instantQuery(storage: Queryable, query: string, time: number, options: QueryOptions = {}): Promise<QueryResult> {
    return this.exec(storage, query, time, time, 0, options);
  }

  rangeQuery(
    storage: Queryable,
    query: string,
    start: number,
    end: number,
    step: number,
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    if (step <= 0) {
      return Promise.reject(new InvalidQueryError("zero or negative query resolution step widths are not accepted"));
    }
    if (end < start) return Promise.reject(new InvalidQueryError("end timestamp must not be before start time"));
    return this.exec(storage, query, start, end, step, options);
  }

  private async exec(
    storage: Queryable,
    query: string,
    start: number,
    end: number,
    step: number,
    options: QueryOptions,
  ): Promise<QueryResult> {
    const parsed = this.parse(query);
    const expr = expandInfoDefaults(resolveDurations(parsed, { stepMs: step, rangeMs: end - start }));
    validateQuery(expr);
    const isRange = step > 0;
    if (isRange && (expr.type === "MatrixSelector" || expr.type === "SubqueryExpr" || expr.type === "StringLiteral")) {
      const kind = expr.type === "StringLiteral" ? "string" : "range vector";
      throw new InvalidQueryError(
        `invalid expression type "${kind}" for range query, must be Scalar or instant Vector`,
      );
    }
    const deadline = Date.now() + this.timeout;
    const lookbackDelta = options.lookbackDelta ?? this.lookbackDelta;
    const data = await this.fetch(storage, expr, { start, end, step, lookbackDelta }, options.signal, deadline);
    const annotations = new Annotations(query);
    const ev = new Evaluator({
      query,
      lookbackDelta,
      queryStart: start,
      queryEnd: end,
      queryStep: step,
      defaultSubqueryStep: this.defaultSubqueryStep,
      maxSamples: this.maxSamples,
      deadline,
      signal: options.signal,
      annotations,
      data,
      enableStartTimestamps: this.enableStartTimestamps,
      statsDecoding: statsDecodingSelectors(expr),
    });
    const r = makeStepRange(start, end, step);
    const result = ev.eval(expr, r);
    const value = isRange ? toMatrix(result, r.start, r.interval) : toInstant(result, start);
    return { value, warnings: annotations.warnings, infos: annotations.infos };
  }

  private async fetch(
    storage: Queryable,
    expr: Expr,
    q: { start: number; end: number; step: number; lookbackDelta: number },
    signal: AbortSignal | undefined,
    deadline: number,
  ): Promise<Map<VectorSelector, Series[]>> {
    const selects = planSelects(expr, { ...q, defaultSubqueryStep: this.defaultSubqueryStep });
    const data = new Map<VectorSelector, Series[]>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueryTimeoutError("query preparation")), Math.max(0, deadline - Date.now()));
    });
    const aborted = new Promise<never>((_, reject) => {
      if (signal?.aborted) reject(new QueryCanceledError("query preparation"));
      signal?.addEventListener("abort", () => reject(new QueryCanceledError("query preparation")), { once: true });
    });
    try {
      const results = await Promise.race([
        Promise.all(
          selects.map((s) =>
            storage.select(s.hints, s.selector.matchers, signal).catch((e: unknown) => {
              if (e instanceof QueryCanceledError || e instanceof QueryTimeoutError) throw e;
              throw new StorageError(e instanceof Error ? e.message : String(e), { cause: e });
            }),
          ),
        ),
        timeout,
        aborted,
      ]);
      selects.forEach((s, i) => data.set(s.selector, results[i]));
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    return data;
  }
}

/** Applies delayed `__name__` removal; series that end up with equal labels merge, or fail if they overlap. */
export function finalizeSeries(series: StepSeries[]): StepSeries[] {
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const s of series) {
    const labels = s.dropName ? withoutNameLabels(s.labels) : s.labels;
    let key = "";
    for (const l of labels) key += l.name + "\xfe" + l.value + "\xff";
    const prev = byKey.get(key);
    if (!prev) {
      const o = { ...s, labels, dropName: false };
      byKey.set(key, o);
      out.push(o);
      continue;
    }
    mergeSeriesPoints(prev, s);
  }
  return out;
}

function finalizeRange(series: RangeSeries[]): RangeSeries[] {
  const seen = new Set<string>();
  return series.map((s) => {
    const labels = s.dropName ? withoutNameLabels(s.labels) : s.labels;
    let key = "";
    for (const l of labels) key += l.name + "\xfe" + l.value + "\xff";
    if (seen.has(key)) throw new EvaluationError("vector cannot contain metrics with the same labelset");
    seen.add(key);
    return { ...s, labels, dropName: false };
  });
}

function toInstant(v: EvalValue, t: number): QueryValue {
  switch (v.kind) {
    case "scalar":
      return { type: "scalar", t, v: v.values[0] };
    case "string":
      return { type: "string", t, v: v.value };
    case "vector": {
      const samples: InstantSample[] = [];
      for (const s of finalizeSeries(v.series)) {
        const kind = s.kinds[0];
        if (kind === FLOAT) samples.push({ labels: s.labels, t, f: s.floats[0], h: null });
        else if (kind === HIST) samples.push({ labels: s.labels, t, f: null, h: s.hists![0]! });
      }
      return { type: "vector", samples };
    }
    case "matrix":
      return {
        type: "matrix",
        series: finalizeRange(v.series)
          .map((s) => ({
            labels: s.labels,
            floats: Array.from(s.ft, (ts, i) => ({ t: ts, f: s.fv[i] })),
            histograms: Array.from(s.ht, (ts, i) => ({ t: ts, h: s.hv[i] })),
          }))
          .sort((a, b) => compareLabels(a.labels, b.labels)),
      };
  }
}

function toMatrix(v: EvalValue, start: number, interval: number): QueryValue {
  let series: StepSeries[];
  if (v.kind === "scalar") {
    series = [
      {
        labels: [],
        kinds: new Uint8Array(v.values.length).fill(FLOAT),
        floats: v.values,
        hists: null,
        dropName: false,
      },
    ];
  } else if (v.kind === "vector") {
    series = finalizeSeries(v.series);
  } else {
    throw new EvaluationError(`invalid expression type for range query, must be Scalar or instant Vector`);
  }
  const out: MatrixSeries[] = [];
  for (const s of series) {
    const m: MatrixSeries = { labels: s.labels, floats: [], histograms: [] };
    for (let i = 0; i < s.kinds.length; i++) {
      const t = start + i * interval;
      if (s.kinds[i] === FLOAT) m.floats.push({ t, f: s.floats[i] });
      else if (s.kinds[i] === HIST) m.histograms.push({ t, h: s.hists![i]! });
    }
    if (m.floats.length > 0 || m.histograms.length > 0) out.push(m);
  }
  out.sort((a, b) => compareLabels(a.labels, b.labels));
  return { type: "matrix", series: out };
}
