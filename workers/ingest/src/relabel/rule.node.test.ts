import { describe, expect, it } from "vitest";
import { compileRelabelRule, RelabelRuleError, type RelabelRuleInput } from "./rule";

function errorOf(input: RelabelRuleInput, scheme: "utf8" | "legacy" = "utf8"): RelabelRuleError {
  try {
    compileRelabelRule(input, scheme);
  } catch (err) {
    if (err instanceof RelabelRuleError) return err;
    throw err;
  }
  throw new Error("expected a RelabelRuleError");
}

describe("compileRelabelRule", () => {
  it("applies Prometheus's defaults", () => {
    const rule = compileRelabelRule({ targetLabel: "x" });
    expect(rule.action).toBe("replace");
    expect(rule.separator).toBe(";");
    expect(rule.regex.source).toBe("(.*)");
    expect(rule.replacement).toBe("$1");
    expect(rule.sourceLabels).toEqual([]);
  });

  it("accepts actions in any case", () => {
    expect(compileRelabelRule({ action: "LabelDrop", regex: "x" }).action).toBe("labeldrop");
  });

  it("refuses unknown or empty actions", () => {
    expect(errorOf({ action: "foo" }).message).toBe('action: unknown relabel action "foo"');
    expect(errorOf({ action: "" }).field).toBe("action");
  });

  it("refuses invalid regexes", () => {
    const err = errorOf({ regex: "(", targetLabel: "x" });
    expect(err.field).toBe("regex");
    expect(err.message).toMatch(/^regex: invalid regex "\(": missing closing \)/);
  });

  it("requires a target label where the action writes one", () => {
    for (const action of ["replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"]) {
      const err = errorOf({ action, modulus: 1 });
      expect(err.field).toBe("target_label");
      expect(err.reason).toBe(`relabel configuration for ${action} action requires 'target_label' value`);
    }
  });

  it("requires a non-zero modulus for hashmod", () => {
    expect(errorOf({ action: "hashmod", targetLabel: "x" }).reason).toBe(
      "relabel configuration for hashmod requires non-zero modulus",
    );
  });

  it("validates label names under the legacy scheme", () => {
    expect(errorOf({ targetLabel: "a-b" }, "legacy").reason).toBe(`"a-b" is invalid 'target_label' for replace action`);
    expect(compileRelabelRule({ targetLabel: "a-b" }, "utf8").targetLabel).toBe("a-b");
    expect(compileRelabelRule({ targetLabel: "${1}_x", regex: "(.*)" }, "legacy").targetLabel).toBe("${1}_x");
    expect(errorOf({ action: "labelmap", regex: "(.*)", replacement: "a.$1" }, "legacy").field).toBe("replacement");
    expect(errorOf({ sourceLabels: ["a.b"] }, "legacy").field).toBe("source_labels");
  });

  it("refuses a replacement on actions that do not use one", () => {
    for (const action of ["lowercase", "uppercase", "keepequal", "dropequal"]) {
      expect(errorOf({ action, targetLabel: "x", replacement: "y" }).reason).toBe(
        `'replacement' can not be set for ${action} action`,
      );
    }
  });

  it("keepequal and dropequal take only source_labels and target_label", () => {
    expect(errorOf({ action: "keepequal", targetLabel: "x", regex: "a" }).reason).toBe(
      "keepequal action requires only 'source_labels' and 'target_label', and no other fields",
    );
    expect(errorOf({ action: "dropequal", targetLabel: "x", separator: "," }).field).toBeUndefined();
  });

  it("labeldrop and labelkeep take only regex", () => {
    expect(errorOf({ action: "labeldrop", regex: "a", sourceLabels: [] }).reason).toBe(
      "labeldrop action requires only 'regex', and no other fields",
    );
    expect(errorOf({ action: "labelkeep", regex: "a", targetLabel: "x" }).reason).toBe(
      "labelkeep action requires only 'regex', and no other fields",
    );
  });

  it("refuses a modulus beyond exact integers", () => {
    expect(errorOf({ action: "hashmod", targetLabel: "x", modulus: 2 ** 60 }).field).toBe("modulus");
  });
});
