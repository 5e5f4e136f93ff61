import type { DurationNode } from "./ast";

/** What a duration expression may refer to: the query's step and range (end - start), both in ms (0 for instant). */
export interface DurationContext {
  stepMs: number;
  rangeMs: number;
}

/** A duration expression that depends on the query (`step()`, `range()`), so only the engine can compute it. */
export function isConstantDuration(node: DurationNode): boolean {
  switch (node.type) {
    case "DurationLiteral":
      return true;
    case "DurationCall":
      return node.args.length > 0 && node.args.every(isConstantDuration);
    case "DurationBinary":
      return isConstantDuration(node.lhs) && isConstantDuration(node.rhs);
    case "DurationUnary":
    case "DurationParen":
      return isConstantDuration(node.expr);
  }
}

/** Seconds, as Prometheus computes duration arithmetic (floats; `%` is the truncated remainder like Go's math.Mod). */
export function evaluateDurationSeconds(node: DurationNode, ctx: DurationContext): number {
  switch (node.type) {
    case "DurationLiteral":
      return node.seconds;
    case "DurationParen":
      return evaluateDurationSeconds(node.expr, ctx);
    case "DurationUnary": {
      const v = evaluateDurationSeconds(node.expr, ctx);
      return node.op === "-" ? -v : v;
    }
    case "DurationCall": {
      switch (node.func) {
        case "step":
          return ctx.stepMs / 1000;
        case "range":
          return ctx.rangeMs / 1000;
        case "min_of":
          return Math.min(...node.args.map((a) => evaluateDurationSeconds(a, ctx)));
        case "max_of":
          return Math.max(...node.args.map((a) => evaluateDurationSeconds(a, ctx)));
      }
      break;
    }
    case "DurationBinary": {
      const l = evaluateDurationSeconds(node.lhs, ctx);
      const r = evaluateDurationSeconds(node.rhs, ctx);
      switch (node.op) {
        case "+":
          return l + r;
        case "-":
          return l - r;
        case "*":
          return l * r;
        case "/":
          return l / r;
        case "%":
          return l % r;
        case "^":
          return Math.pow(l, r);
      }
    }
  }
  throw new TypeError(`unknown duration node ${(node as { type: string }).type}`);
}

/** Integer milliseconds of a duration expression (rounded to the millisecond). */
export function evaluateDuration(node: DurationNode, ctx: DurationContext): number {
  return Math.round(evaluateDurationSeconds(node, ctx) * 1000) + 0;
}
