import { RE2JS } from "re2js";
import { Engine, type QueryResult, type QueryValue } from "../engine/engine";
import { formatFloat } from "../format";
import { histogramsMatch } from "../histogram/compare";
import { formatHistogram } from "../histogram/notation";
import { convertClassicHistogramsToNhcb, type ClassicHistogramSeries } from "../histogram/nhcb";
import { parseHistogramSequenceItem } from "../histogram/sequence";
import type { FloatHistogram } from "../histogram/types";
import { parseExpr } from "../parser/parser";
import { formatExpr } from "../parser/printer";
import { MemoryStorage } from "../storage/memory";
import { compareLabels, formatLabels, labelsKey, type Label, type Labels } from "../value";
import { almostEqual } from "./almost";
import { withAtModifier } from "./at-rewrite";
import { parseScript, type EvalCommand, type LoadCommand, type TextExpectation } from "./script";
import type { HistogramNotation, SequenceValue } from "./series-desc";

export type EvalStatus = "pass" | "fail" | "skip";

export interface EvalOutcome {
  file: string;
  line: number;
  expr: string;
  status: EvalStatus;
  /** Why it failed or was skipped. */
  message?: string;
}

/** The histogram notation of the test DSL, from the histogram package. */
export const histogramNotation: HistogramNotation = {
  expand(item) {
    const res = parseHistogramSequenceItem(item, 0);
    return { values: res.values, counterResetHintGiven: res.counterResetHintGiven };
  },
};

class CheckFailure extends Error {
  override readonly name = "CheckFailure";
}

/** Engine settings of Prometheus's promqltest (NewTestEngine). */
export function newTestEngine(): Engine {
  return new Engine({
    lookbackDelta: 5 * 60_000,
    maxSamples: 10_000,
    timeout: 100_000,
    enableExperimentalFunctions: true,
    defaultSubqueryStep: 60_000,
    enableStartTimestamps: true,
  });
}

/** Runs every command of one script; each eval yields one outcome. */
export async function runScript(file: string, text: string, engine: Engine = newTestEngine()): Promise<EvalOutcome[]> {
  const commands = parseScript(file, text, histogramNotation);
  let storage = new MemoryStorage();
  const outcomes: EvalOutcome[] = [];
  let loadProblem: string | null = null;
  for (const cmd of commands) {
    if (cmd.kind === "clear") {
      storage = new MemoryStorage();
      loadProblem = null;
      continue;
    }
    if (cmd.kind === "load") {
      try {
        load(storage, cmd);
        if (cmd.broken.length > 0) loadProblem = `line ${cmd.broken[0].line}: ${cmd.broken[0].error}`;
      } catch (e) {
        loadProblem = `load at line ${cmd.line} failed: ${(e as Error).message}`;
      }
      continue;
    }
    const base = { file, line: cmd.line, expr: cmd.expr };
    if (cmd.unreadable) {
      outcomes.push({ ...base, status: "skip", message: `expectation not readable: ${cmd.unreadable}` });
      continue;
    }
    try {
      await runEval(engine, storage, cmd);
      outcomes.push({ ...base, status: "pass" });
    } catch (e) {
      const message =
        e instanceof CheckFailure ? e.message : `unexpected ${(e as Error).name}: ${(e as Error).message}`;
      outcomes.push({
        ...base,
        status: "fail",
        message: loadProblem ? `${message}\n  (storage incomplete: ${loadProblem})` : message,
      });
    }
  }
  return outcomes;
}

function load(storage: MemoryStorage, cmd: LoadCommand): void {
  // A series repeated in one block: the later line wins.
  const byKey = new Map<string, (typeof cmd.series)[number]>();
  for (const s of cmd.series) byKey.set(labelsKey(s.labels), s);
  const classic: ClassicHistogramSeries[] = [];
  for (const s of byKey.values()) {
    const samples: { t: number; value: number }[] = [];
    s.values.forEach((v, i) => {
      const t = i * cmd.step;
      const offset = s.startOffsets?.[i];
      const st = offset === null || offset === undefined ? undefined : t + offset;
      if (v.kind === "float") {
        storage.appendFloat(s.labels, t, v.v, st);
        samples.push({ t, value: v.v });
      } else if (v.kind === "hist") {
        storage.appendHistogram(s.labels, t, v.h, st);
      }
    });
    if (cmd.withNHCB) classic.push({ labels: s.labels, samples });
  }
  if (cmd.withNHCB) {
    for (const n of convertClassicHistogramsToNhcb(classic)) {
      for (const sample of n.samples) storage.appendHistogram(n.labels, sample.t, sample.histogram);
    }
  }
}

async function runEval(engine: Engine, storage: MemoryStorage, cmd: EvalCommand): Promise<void> {
  if (cmd.range) {
    const { start, end, step } = cmd.range;
    const res = await expectOutcome(cmd, () => engine.rangeQuery(storage, cmd.expr, start, end, step));
    if (!res) return;
    checkAnnotations(cmd, res);
    compareResult(cmd, res.value, cmd.range);
    return;
  }
  const at = cmd.at!;
  const queries: { expr: string; t: number }[] = [{ expr: cmd.expr, t: at }];
  const parsed = parseExpr(cmd.expr, { experimentalFunctions: true });
  const rewritten = withAtModifier(parsed, at);
  if (rewritten) {
    const text = formatExpr(rewritten);
    const times = at === 0 ? [-1000, 0, 1000] : [-10 * at, 0, Math.trunc(at / 5), at, 10 * at];
    for (const t of times) queries.push({ expr: text, t });
  }
  const rangeMode =
    !cmd.rangeVector && cmd.string === null && !cmd.ordered && !/\b(start|end|range|step)\(\)/.test(cmd.expr);
  for (const q of queries) {
    const label = q.expr === cmd.expr && q.t === at ? "" : ` [variant: ${q.expr} at ${q.t}ms]`;
    try {
      const res = await expectOutcome(cmd, () => engine.instantQuery(storage, q.expr, q.t));
      if (!res) return;
      checkAnnotations(cmd, res);
      compareResult(cmd, res.value, cmd.rangeVector);
      if (!rangeMode) continue;
      let rangeRes: QueryResult;
      try {
        rangeRes = await engine.rangeQuery(storage, q.expr, q.t - 60_000, q.t + 60_000, 60_000);
      } catch (e) {
        throw new CheckFailure(`range mode: unexpected error: ${(e as Error).message}`);
      }
      if (rangeRes.value.type !== "matrix") throw new CheckFailure("range mode: result is not a matrix");
      const samples = [];
      for (const s of rangeRes.value.series) {
        const f = s.floats.find((p) => p.t === q.t);
        if (f) samples.push({ labels: s.labels, t: q.t, f: f.f, h: null });
        const h = s.histograms.find((p) => p.t === q.t);
        if (h) samples.push({ labels: s.labels, t: q.t, f: null, h: h.h });
      }
      const asInstant: QueryValue =
        res.value.type === "scalar"
          ? { type: "scalar", t: q.t, v: samples.length > 0 ? (samples[0].f ?? 0) : NaN }
          : { type: "vector", samples };
      try {
        assertSorted(rangeRes.value.series.map((s) => s.labels));
        compareResult(cmd, asInstant, null);
      } catch (e) {
        throw new CheckFailure(`range mode: ${(e as Error).message}`);
      }
    } catch (e) {
      if (e instanceof CheckFailure && label) throw new CheckFailure(e.message + label);
      throw e;
    }
  }
}

/** Runs the query; returns null when an expected failure happened (and matched). */
async function expectOutcome(cmd: EvalCommand, run: () => Promise<QueryResult>): Promise<QueryResult | null> {
  let res: QueryResult;
  try {
    res = await run();
  } catch (e) {
    const message = (e as Error).message;
    if (!cmd.fail) throw new CheckFailure(`unexpected error: ${message}`);
    if (!textMatches(cmd.fail, message)) {
      throw new CheckFailure(`expected error ${describe(cmd.fail)} but got: ${message}`);
    }
    return null;
  }
  if (cmd.fail) throw new CheckFailure(`expected error ${describe(cmd.fail)} but the query succeeded`);
  return res;
}

function describe(t: TextExpectation): string {
  if (t.msg !== undefined) return JSON.stringify(t.msg);
  if (t.regex !== undefined) return `matching /${t.regex}/`;
  return "(any)";
}

function textMatches(t: TextExpectation, text: string): boolean {
  if (t.msg !== undefined) return t.msg === text;
  if (t.regex !== undefined) return RE2JS.compile(t.regex).matcher(text).find();
  return true;
}

function checkAnnotations(cmd: EvalCommand, res: QueryResult): void {
  const check = (kind: string, expected: TextExpectation[], none: boolean, actual: string[]): void => {
    if (none && actual.length > 0) throw new CheckFailure(`unexpected ${kind}s: ${actual.join("; ")}`);
    if (expected.length === 0) return;
    if (actual.length === 0) throw new CheckFailure(`expected ${kind}s but got none`);
    for (const e of expected) {
      if (!actual.some((a) => textMatches(e, a))) {
        throw new CheckFailure(`expected ${kind} ${describe(e)} but got: ${actual.join("; ")}`);
      }
    }
    for (const a of actual) {
      if (!expected.some((e) => textMatches(e, a))) throw new CheckFailure(`unexpected ${kind}: ${a}`);
    }
  };
  check("warning", cmd.warn, cmd.noWarn, res.warnings);
  check("info", cmd.info, cmd.noInfo, res.infos);
}

function assertSorted(labels: Labels[]): void {
  for (let i = 1; i < labels.length; i++) {
    if (compareLabels(labels[i - 1], labels[i]) > 0) {
      throw new CheckFailure(
        `matrix results should always be sorted by labels, but ${formatLabels(labels[i - 1])} came before ${formatLabels(labels[i])}`,
      );
    }
  }
}

function valueText(f: number | null, h: FloatHistogram | null): string {
  return h ? formatHistogram(h) : formatFloat(f ?? NaN);
}

function expectedText(v: SequenceValue): string {
  return v.kind === "hist" ? formatHistogram(v.h) : v.kind === "float" ? formatFloat(v.v) : "_";
}

function histMatches(expected: SequenceValue & { kind: "hist" }, actual: FloatHistogram): boolean {
  return histogramsMatch(expected.h, actual, { compareCounterResetHint: expected.hintGiven });
}

function compareResult(
  cmd: EvalCommand,
  value: QueryValue,
  range: { start: number; end: number; step: number } | null,
): void {
  const expected = new Map<string, { labels: Label[]; values: SequenceValue[]; pos: number }>();
  cmd.series.forEach((s, i) => expected.set(labelsKey(s.labels), { labels: s.labels, values: s.values, pos: i + 1 }));
  switch (value.type) {
    case "string":
      if (cmd.string === null)
        throw new CheckFailure(
          `expected ${cmd.scalar !== null ? "scalar" : "vector or matrix"} result, but got string ${JSON.stringify(value.v)}`,
        );
      if (cmd.string !== value.v)
        throw new CheckFailure(`expected string ${JSON.stringify(cmd.string)} but got ${JSON.stringify(value.v)}`);
      return;
    case "scalar":
      if (cmd.scalar === null)
        throw new CheckFailure(`expected vector or matrix result, but got scalar ${formatFloat(value.v)}`);
      if (!almostEqual(cmd.scalar, value.v))
        throw new CheckFailure(`expected scalar ${formatFloat(cmd.scalar)} but got ${formatFloat(value.v)}`);
      return;
    case "vector": {
      if (cmd.string !== null) throw new CheckFailure("expected string result, but got vector");
      if (cmd.scalar !== null)
        throw new CheckFailure(
          `expected scalar ${formatFloat(cmd.scalar)}, but got a vector of ${value.samples.length} samples`,
        );
      const seen = new Set<string>();
      value.samples.forEach((s, pos) => {
        const key = labelsKey(s.labels);
        const exp = expected.get(key);
        if (!exp)
          throw new CheckFailure(
            `unexpected metric ${formatLabels(s.labels)} in result, has value ${valueText(s.f, s.h)}`,
          );
        if (cmd.ordered && exp.pos !== pos + 1) {
          throw new CheckFailure(
            `expected metric ${formatLabels(s.labels)} at position ${exp.pos} but was at ${pos + 1}`,
          );
        }
        const e = exp.values[0];
        if (e.kind === "hist") {
          if (!s.h)
            throw new CheckFailure(
              `expected histogram ${expectedText(e)} for ${formatLabels(s.labels)} but got float value ${valueText(s.f, null)}`,
            );
          if (!histMatches(e, s.h))
            throw new CheckFailure(
              `expected ${expectedText(e)} for ${formatLabels(s.labels)} but got ${valueText(null, s.h)}`,
            );
        } else {
          if (s.h)
            throw new CheckFailure(
              `expected float value ${expectedText(e)} for ${formatLabels(s.labels)} but got histogram ${valueText(null, s.h)}`,
            );
          const want = e.kind === "float" ? e.v : NaN;
          if (!almostEqual(want, s.f!))
            throw new CheckFailure(
              `expected ${expectedText(e)} for ${formatLabels(s.labels)} but got ${valueText(s.f, null)}`,
            );
        }
        seen.add(key);
      });
      for (const [key, exp] of expected) {
        if (!seen.has(key))
          throw new CheckFailure(
            `expected metric ${formatLabels(exp.labels)} with ${exp.values.map(expectedText).join(" ")} not found`,
          );
      }
      return;
    }
    case "matrix": {
      if (cmd.ordered) throw new CheckFailure("expected ordered result, but query returned a matrix");
      if (cmd.scalar !== null) throw new CheckFailure("expected scalar result, but got matrix");
      assertSorted(value.series.map((s) => s.labels));
      const seen = new Set<string>();
      for (const s of value.series) {
        const key = labelsKey(s.labels);
        const exp = expected.get(key);
        const got =
          `${s.floats.map((p) => `${formatFloat(p.f)}@${p.t}`).join(" ")} ${s.histograms.map((p) => `${formatHistogram(p.h)}@${p.t}`).join(" ")}`.trim();
        if (!exp) throw new CheckFailure(`unexpected metric ${formatLabels(s.labels)} in result, has ${got}`);
        seen.add(key);
        if (!range) throw new CheckFailure("got a range vector but no `expect range vector` line");
        const floats: { t: number; v: number }[] = [];
        const hists: { t: number; e: SequenceValue & { kind: "hist" } }[] = [];
        exp.values.forEach((v, i) => {
          const t = range.start + i * range.step;
          if (t > range.end)
            throw new CheckFailure(
              `expected ${exp.values.length} points for ${formatLabels(s.labels)}, but query time range cannot return this many points`,
            );
          if (v.kind === "hist") hists.push({ t, e: v });
          else if (v.kind === "float") floats.push({ t, v: v.v });
        });
        const want = exp.values.map(expectedText).join(" ");
        if (floats.length !== s.floats.length || hists.length !== s.histograms.length) {
          throw new CheckFailure(
            `expected ${floats.length} float points and ${hists.length} histogram points for ${formatLabels(s.labels)} (${want}), but got ${got}`,
          );
        }
        floats.forEach((f, i) => {
          const a = s.floats[i];
          if (a.t !== f.t || !almostEqual(f.v, a.f)) {
            throw new CheckFailure(
              `expected ${formatFloat(f.v)}@${f.t} for ${formatLabels(s.labels)} but got ${formatFloat(a.f)}@${a.t} (want ${want}; got ${got})`,
            );
          }
        });
        hists.forEach((h, i) => {
          const a = s.histograms[i];
          if (a.t !== h.t || !histMatches(h.e, a.h)) {
            throw new CheckFailure(
              `expected ${formatHistogram(h.e.h)}@${h.t} for ${formatLabels(s.labels)} but got ${formatHistogram(a.h)}@${a.t}`,
            );
          }
        });
      }
      for (const [key, exp] of expected) {
        if (!seen.has(key)) throw new CheckFailure(`expected metric ${formatLabels(exp.labels)} not found`);
      }
      return;
    }
  }
}
