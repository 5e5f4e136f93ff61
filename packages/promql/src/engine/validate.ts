import { walkExpr, type Expr } from "../parser/ast";
import { InvalidQueryError } from "./errors";

const ANCHORED_FUNCTIONS = ["changes", "delta", "increase", "rate", "resets"];
const SMOOTHED_FUNCTIONS = ["delta", "increase", "rate"];

/** Checks the engine makes before evaluating: where the experimental `anchored` and `smoothed` modifiers may appear. */
export function validateQuery(expr: Expr): void {
  walkExpr(expr, (node, ancestors) => {
    if (node.type !== "MatrixSelector") return;
    const vs = node.vectorSelector;
    if (!vs.anchored && !vs.smoothed) return;
    const parent = ancestors[ancestors.length - 1];
    const fn = parent && parent.type === "Call" ? parent.func.name : null;
    if (vs.anchored && (fn === null || !ANCHORED_FUNCTIONS.includes(fn))) {
      throw new InvalidQueryError(
        `anchored modifier can only be used with: ${ANCHORED_FUNCTIONS.join(", ")} - not with ${fn ?? "a plain range selector"}`,
      );
    }
    if (vs.smoothed && (fn === null || !SMOOTHED_FUNCTIONS.includes(fn))) {
      throw new InvalidQueryError(
        `smoothed modifier can only be used with: ${SMOOTHED_FUNCTIONS.join(", ")} - not with ${fn ?? "a plain range selector"}`,
      );
    }
  });
}
