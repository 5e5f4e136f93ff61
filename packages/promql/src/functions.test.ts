import { readFileSync } from "node:fs";
import { testdataPath } from "@edgeprom/testdata";
import { describe, expect, it } from "vitest";
import { FUNCTIONS, getFunction } from "./functions";

/**
 * The functions Prometheus documents (docs/querying/functions.md of the snapshot in the shared test data), each with
 * whether the documentation puts it behind `--enable-feature=promql-experimental-functions`.
 */
function documentedFunctions(): Map<string, boolean> {
  const text = readFileSync(testdataPath("docs", "querying", "functions.md"), "utf8");
  const documented = new Map<string, boolean>();
  for (const section of text.split(/^## /m).slice(1)) {
    const heading = section.slice(0, section.indexOf("\n"));
    const experimental = section.includes("promql-experimental-functions");
    const headingNames = [...heading.matchAll(/`([a-z0-9_]+)\(\)`/g)].map((m) => m[1]);
    if (headingNames.length > 0) {
      for (const name of headingNames) documented.set(name, experimental);
      continue;
    }
    // `<aggregation>_over_time()` and the trigonometric functions are bullet lists; in the first, the bullets after
    // the feature-flag sentence are the experimental ones.
    const flagAt = section.indexOf("promql-experimental-functions");
    for (const m of section.matchAll(/^\* `([a-z0-9_]+)\(/gm)) {
      documented.set(m[1], flagAt >= 0 && (m.index ?? 0) > flagAt);
    }
  }
  return documented;
}

describe("the function table", () => {
  const documented = documentedFunctions();

  it("has exactly the documented functions, with the documented experimental flag", () => {
    expect([...FUNCTIONS.keys()].sort()).toEqual([...documented.keys()].sort());
    for (const [name, experimental] of documented) {
      expect(getFunction(name)?.experimental, name).toBe(experimental);
    }
  });

  it("covers the experimental functions the brief names", () => {
    for (const name of [
      "double_exponential_smoothing",
      "mad_over_time",
      "sort_by_label",
      "sort_by_label_desc",
      "info",
      "ts_of_min_over_time",
      "ts_of_max_over_time",
      "ts_of_last_over_time",
      "ts_of_first_over_time",
      "histogram_quantiles",
    ]) {
      expect(getFunction(name)?.experimental, name).toBe(true);
    }
  });

  it("records names, argument types and return types consistently", () => {
    for (const [name, fn] of FUNCTIONS) {
      expect(fn.name).toBe(name);
      expect(["scalar", "vector", "matrix", "string"]).toContain(fn.returnType);
      expect(fn.variadic).toBeGreaterThanOrEqual(-1);
      if (fn.variadic !== 0) expect(fn.argTypes.length, name).toBeGreaterThan(0);
    }
    expect(getFunction("histogram_quantile")).toMatchObject({ argTypes: ["scalar", "vector"], returnType: "vector" });
    expect(getFunction("label_join")).toMatchObject({ variadic: -1 });
    expect(getFunction("round")).toMatchObject({ argTypes: ["vector", "scalar"], variadic: 1 });
    expect(getFunction("holt_winters")).toBeUndefined();
  });
});
