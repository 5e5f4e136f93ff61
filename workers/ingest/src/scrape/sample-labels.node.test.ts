import { describe, expect, it } from "vitest";
import { compileRelabelRule, type Label } from "../relabel";
import { attachTargetLabels, checkLabelLimits, sampleLabels } from "./sample-labels";

const labels = (map: Record<string, string>): Label[] =>
  Object.entries(map)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
const asMap = (list: readonly Label[]) => Object.fromEntries(list.map((label) => [label.name, label.value]));

describe("attachTargetLabels", () => {
  const target = labels({ instance: "h:1", job: "node" });

  it("adds the target's labels", () => {
    expect(asMap(attachTargetLabels(labels({ __name__: "up_total", a: "1" }), target, false))).toEqual({
      __name__: "up_total",
      a: "1",
      instance: "h:1",
      job: "node",
    });
  });

  it("without honor_labels, keeps conflicting scraped values as exported_", () => {
    expect(asMap(attachTargetLabels(labels({ __name__: "m", job: "scraped", instance: "i" }), target, false))).toEqual({
      __name__: "m",
      exported_instance: "i",
      exported_job: "scraped",
      instance: "h:1",
      job: "node",
    });
  });

  it("prefixes again when exported_ is taken", () => {
    expect(
      asMap(attachTargetLabels(labels({ __name__: "m", job: "scraped", exported_job: "taken" }), target, false)),
    ).toEqual({
      __name__: "m",
      exported_exported_job: "scraped",
      exported_job: "taken",
      instance: "h:1",
      job: "node",
    });
  });

  it("with honor_labels, scraped values win", () => {
    expect(asMap(attachTargetLabels(labels({ __name__: "m", job: "scraped" }), target, true))).toEqual({
      __name__: "m",
      instance: "h:1",
      job: "scraped",
    });
  });

  it("applies metric relabeling after attaching", () => {
    const rules = [
      compileRelabelRule({ sourceLabels: ["__name__"], regex: "go_.*", action: "drop" }),
      compileRelabelRule({ regex: "instance", action: "labeldrop" }),
    ];
    expect(sampleLabels(labels({ __name__: "go_goroutines" }), target, false, rules)).toBeNull();
    expect(asMap(sampleLabels(labels({ __name__: "m" }), target, false, rules)!)).toEqual({
      __name__: "m",
      job: "node",
    });
  });
});

describe("checkLabelLimits", () => {
  const series = labels({ __name__: "metric", a: "ü".repeat(3), bb: "x" });

  it("passes within limits and with no limits", () => {
    expect(
      checkLabelLimits(series, { labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 }),
    ).toBeUndefined();
    expect(
      checkLabelLimits(series, { labelLimit: 3, labelNameLengthLimit: 8, labelValueLengthLimit: 6 }),
    ).toBeUndefined();
  });

  it("reports the first violation as Prometheus words it", () => {
    expect(checkLabelLimits(series, { labelLimit: 2, labelNameLengthLimit: 0, labelValueLengthLimit: 0 })).toBe(
      "label_limit exceeded (metric: metric, number of labels: 3, limit: 2)",
    );
    expect(checkLabelLimits(series, { labelLimit: 0, labelNameLengthLimit: 7, labelValueLengthLimit: 0 })).toBe(
      "label_name_length_limit exceeded (metric: metric, label name: __name__, length: 8, limit: 7)",
    );
    // Lengths are UTF-8 bytes: "üüü" is 6 bytes.
    expect(checkLabelLimits(series, { labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 5 })).toBe(
      'label_value_length_limit exceeded (metric: metric, label name: __name__, value: "metric", length: 6, limit: 5)',
    );
  });
});
