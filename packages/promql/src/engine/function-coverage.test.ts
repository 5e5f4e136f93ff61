import { describe, expect, it } from "vitest";
import { AGGREGATE_OPERATORS } from "../parser/ast";
import { FUNCTIONS } from "../functions";
import { MemoryStorage } from "../storage/memory";
import { Engine } from "./engine";

// Like Prometheus's TestFunctionList: every function the parser accepts must have an implementation in the engine,
// so that no query can parse and then fail with "not implemented".
const ARGUMENT_FOR = { vector: "vector(1)", scalar: "1", string: '"x"', matrix: "vector(1)[5m:1m]" } as const;

function callOf(name: string, argTypes: readonly (keyof typeof ARGUMENT_FOR)[]): string {
  if (name === "label_replace") return 'label_replace(vector(1), "a", "$1", "b", "(.*)")';
  if (name === "label_join") return 'label_join(vector(1), "a", ",", "b")';
  if (name === "info") return "info(vector(1))";
  if (name === "double_exponential_smoothing") return "double_exponential_smoothing(vector(1)[5m:1m], 0.5, 0.5)";
  return `${name}(${argTypes.map((t) => ARGUMENT_FOR[t]).join(", ")})`;
}

describe("every parsed function and aggregation is implemented", () => {
  const engine = new Engine({ enableExperimentalFunctions: true });
  const storage = new MemoryStorage();

  it.each([...FUNCTIONS.values()].map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    const query = callOf(f.name, f.argTypes as readonly (keyof typeof ARGUMENT_FOR)[]);
    const outcome = await engine.instantQuery(storage, query, 600_000).then(
      () => "ok",
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    expect(outcome, query).toBe("ok");
  });

  it.each(AGGREGATE_OPERATORS.map((op) => [op] as const))("aggregation %s", async (op) => {
    const param = ["topk", "bottomk", "limitk"].includes(op)
      ? "1, "
      : op === "quantile" || op === "limit_ratio"
        ? "0.5, "
        : op === "count_values"
          ? '"v", '
          : "";
    const query = `${op}(${param}vector(1))`;
    const outcome = await engine.instantQuery(storage, query, 600_000).then(
      () => "ok",
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    expect(outcome, query).toBe("ok");
  });
});
