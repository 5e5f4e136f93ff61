import { EvaluationError } from "./errors";
import { ABSENT, HIST, type StepSeries } from "./types";

/**
 * Moves the points of `from` into `into`, two series that have come to share a label set (after `__name__` removal
 * or relabelling); a step where both have a point is an error, as the vector would hold the same series twice.
 */
export function mergeSeriesPoints(into: StepSeries, from: StepSeries): void {
  for (let i = 0; i < from.kinds.length; i++) {
    if (from.kinds[i] === ABSENT) continue;
    if (into.kinds[i] !== ABSENT) throw new EvaluationError("vector cannot contain metrics with the same labelset");
    into.kinds[i] = from.kinds[i];
    into.floats[i] = from.floats[i];
    if (from.kinds[i] === HIST) {
      if (!into.hists) into.hists = new Array(into.kinds.length);
      into.hists[i] = from.hists![i];
    }
  }
}
