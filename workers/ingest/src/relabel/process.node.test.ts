import { describe, expect, it } from "vitest";
import type { Label } from "./label";
import { relabel } from "./process";
import { compileRelabelRule, type RelabelRuleInput } from "./rule";

function labelsOf(map: Record<string, string>): Label[] {
  return Object.entries(map)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function run(input: Record<string, string>, rules: RelabelRuleInput[]): Record<string, string> | null {
  const result = relabel(
    labelsOf(input),
    rules.map((rule) => compileRelabelRule(rule)),
  );
  return result && Object.fromEntries(result.map((label) => [label.name, label.value]));
}

describe("relabel: replace", () => {
  it("substitutes capture groups into the replacement", () => {
    expect(
      run({ a: "foo", b: "bar", c: "baz" }, [
        { sourceLabels: ["a"], regex: "f(.*)", targetLabel: "d", replacement: "ch${1}-ch${1}" },
      ]),
    ).toEqual({ a: "foo", b: "bar", c: "baz", d: "choo-choo" });
  });

  it("joins several source labels with the separator", () => {
    expect(
      run({ a: "foo", b: "bar", c: "baz" }, [
        { sourceLabels: ["a", "b"], regex: "f(.*);(.*)r", targetLabel: "a", replacement: "b${1}${2}m" },
        { sourceLabels: ["c", "a"], regex: "(b).*b(.*)ba(.*)", targetLabel: "d", replacement: "$1$2$2$3" },
      ]),
    ).toEqual({ a: "boobam", b: "bar", c: "baz", d: "boooom" });
  });

  it("uses a custom separator and gives missing labels an empty value", () => {
    expect(
      run({ a: "x" }, [{ sourceLabels: ["a", "missing", "a"], separator: "-", targetLabel: "t", replacement: "[$1]" }]),
    ).toEqual({ a: "x", t: "[x--x]" });
  });

  it("leaves labels alone when the regex does not match", () => {
    expect(run({ a: "foo" }, [{ sourceLabels: ["a"], regex: "f", targetLabel: "b", replacement: "x" }])).toEqual({
      a: "foo",
    });
  });

  it("copies a value with the defaults (regex (.*), replacement $1)", () => {
    expect(run({ a: "foo" }, [{ sourceLabels: ["a"], targetLabel: "b" }])).toEqual({ a: "foo", b: "foo" });
  });

  it("deletes the target when the replacement expands to nothing", () => {
    expect(
      run({ a: "foo", b: "bar" }, [{ sourceLabels: ["a"], regex: "(f)(x)?oo", targetLabel: "b", replacement: "$2" }]),
    ).toEqual({ a: "foo" });
  });

  it("sets a constant label with the empty-source shortcut", () => {
    expect(run({ a: "foo" }, [{ targetLabel: "env", replacement: "prod" }])).toEqual({ a: "foo", env: "prod" });
    // An empty replacement removes the label.
    expect(run({ a: "foo" }, [{ targetLabel: "a", replacement: "" }])).toEqual({});
  });

  it("expands templates in the target label and skips invalid results", () => {
    expect(
      run({ a: "some-name-value" }, [
        { sourceLabels: ["a"], regex: "some-([^-]+)-([^,]+)", targetLabel: "${1}", replacement: "${2}" },
      ]),
    ).toEqual({ a: "some-name-value", name: "value" });
    // The expanded name would be empty: nothing happens.
    expect(
      run({ a: "some--value" }, [
        { sourceLabels: ["a"], regex: "some-([^-]*)-([^,]+)", targetLabel: "${1}", replacement: "${2}" },
      ]),
    ).toEqual({ a: "some--value" });
  });

  it("supports named groups", () => {
    expect(
      run({ a: "foo" }, [
        { sourceLabels: ["a"], regex: "(?P<first>f)(?P<rest>o+)", targetLabel: "b", replacement: "${rest}-$first" },
      ]),
    ).toEqual({ a: "foo", b: "oo-f" });
  });

  it("matches across newlines", () => {
    expect(run({ a: "line1\nline2" }, [{ sourceLabels: ["a"], regex: "line1.(.*)", targetLabel: "b" }])).toEqual({
      a: "line1\nline2",
      b: "line2",
    });
  });

  it("can rename the metric", () => {
    expect(
      run({ __name__: "old_total", job: "j" }, [
        { sourceLabels: ["__name__"], regex: "old_(.*)", targetLabel: "__name__", replacement: "new_$1" },
      ]),
    ).toEqual({ __name__: "new_total", job: "j" });
  });
});

describe("relabel: keep and drop", () => {
  it("drops when the regex matches", () => {
    expect(run({ a: "foo" }, [{ sourceLabels: ["a"], regex: ".*o.*", action: "drop" }])).toBeNull();
    expect(run({ a: "foo" }, [{ sourceLabels: ["a"], regex: "o", action: "drop" }])).toEqual({ a: "foo" });
  });

  it("keeps only when the regex matches", () => {
    expect(run({ a: "foo" }, [{ sourceLabels: ["a"], regex: "no-match", action: "keep" }])).toBeNull();
    expect(run({ a: "foo" }, [{ sourceLabels: ["a"], regex: "f.*", action: "keep" }])).toEqual({ a: "foo" });
  });

  it("drops on a missing label matched by an empty-matching regex", () => {
    expect(run({ a: "foo" }, [{ sourceLabels: ["b"], regex: "", action: "drop" }])).toBeNull();
    expect(run({ a: "foo" }, [{ sourceLabels: ["b"], regex: ".+", action: "keep" }])).toBeNull();
  });

  it("stops at the first dropping rule", () => {
    expect(
      run({ a: "foo" }, [
        { sourceLabels: ["a"], regex: "foo", action: "drop" },
        { targetLabel: "after", replacement: "x" },
      ]),
    ).toBeNull();
  });

  it("compares against the target label for keepequal and dropequal", () => {
    expect(run({ a: "1", b: "1" }, [{ sourceLabels: ["a"], targetLabel: "b", action: "keepequal" }])).toEqual({
      a: "1",
      b: "1",
    });
    expect(run({ a: "1", b: "2" }, [{ sourceLabels: ["a"], targetLabel: "b", action: "keepequal" }])).toBeNull();
    expect(run({ a: "1", b: "1" }, [{ sourceLabels: ["a"], targetLabel: "b", action: "dropequal" }])).toBeNull();
    expect(run({ a: "1", b: "2" }, [{ sourceLabels: ["a"], targetLabel: "b", action: "dropequal" }])).toEqual({
      a: "1",
      b: "2",
    });
    // Missing labels compare as empty values.
    expect(run({ a: "1" }, [{ sourceLabels: ["x"], targetLabel: "y", action: "dropequal" }])).toBeNull();
  });
});

describe("relabel: hashmod", () => {
  it("writes MD5-based buckets", () => {
    expect(
      run({ a: "foo", b: "bar", c: "baz" }, [
        { sourceLabels: ["c"], targetLabel: "d", modulus: 1000, action: "hashmod" },
      ]),
    ).toEqual({ a: "foo", b: "bar", c: "baz", d: "976" });
    expect(
      run({ a: "foo\nbar" }, [{ sourceLabels: ["a"], targetLabel: "b", modulus: 1000, action: "hashmod" }]),
    ).toEqual({ a: "foo\nbar", b: "734" });
  });

  it("shards targets with hashmod and keep as the documentation suggests", () => {
    const shardOf = (address: string) =>
      run({ __address__: address }, [
        { sourceLabels: ["__address__"], targetLabel: "__tmp_hash", modulus: 4, action: "hashmod" },
      ])!.__tmp_hash;
    const addresses = Array.from({ length: 40 }, (_, i) => `10.0.0.${i}:9100`);
    const kept = addresses.filter(
      (address) =>
        run({ __address__: address }, [
          { sourceLabels: ["__address__"], targetLabel: "__tmp_hash", modulus: 4, action: "hashmod" },
          { sourceLabels: ["__tmp_hash"], regex: "2", action: "keep" },
        ]) !== null,
    );
    expect(kept).toEqual(addresses.filter((address) => shardOf(address) === "2"));
    expect(new Set(addresses.map(shardOf))).toEqual(new Set(["0", "1", "2", "3"]));
  });
});

describe("relabel: label name actions", () => {
  it("labelmap copies matching labels under new names", () => {
    expect(
      run({ __meta_kubernetes_pod_label_app: "web", __meta_kubernetes_pod_label_tier: "front", job: "k" }, [
        { regex: "__meta_kubernetes_pod_label_(.+)", action: "labelmap" },
      ]),
    ).toEqual({
      __meta_kubernetes_pod_label_app: "web",
      __meta_kubernetes_pod_label_tier: "front",
      app: "web",
      job: "k",
      tier: "front",
    });
  });

  it("labelmap uses the replacement template", () => {
    expect(
      run({ a: "foo", b1: "bar", b2: "baz" }, [{ regex: "(b.*)", replacement: "bar_${1}", action: "labelmap" }]),
    ).toEqual({ a: "foo", b1: "bar", b2: "baz", bar_b1: "bar", bar_b2: "baz" });
  });

  it("labelmap: a later source wins a name collision, in Prometheus's order", () => {
    // Base labels in sorted order, then labels set earlier in the rule list.
    expect(
      run({ x_a: "1", y_a: "2" }, [
        { targetLabel: "z_a", replacement: "3" },
        { regex: "[xyz]_(.*)", replacement: "$1", action: "labelmap" },
      ]),
    ).toMatchObject({ a: "3" });
  });

  it("labeldrop removes matching label names", () => {
    expect(run({ a: "foo", b1: "bar", b2: "baz" }, [{ regex: "b.*", action: "labeldrop" }])).toEqual({ a: "foo" });
  });

  it("labelkeep removes non-matching label names", () => {
    expect(run({ a: "foo", b1: "bar", b2: "baz" }, [{ regex: "b.*", action: "labelkeep" }])).toEqual({
      b1: "bar",
      b2: "baz",
    });
  });
});

describe("relabel: case", () => {
  it("lowercases and uppercases the joined value", () => {
    expect(run({ a: "AbCd" }, [{ sourceLabels: ["a"], targetLabel: "l", action: "lowercase" }])).toEqual({
      a: "AbCd",
      l: "abcd",
    });
    expect(run({ a: "foo", b: "Bar" }, [{ sourceLabels: ["a", "b"], targetLabel: "u", action: "uppercase" }])).toEqual({
      a: "foo",
      b: "Bar",
      u: "FOO;BAR",
    });
  });

  it("maps code points one at a time like Go", () => {
    expect(run({ a: "straße ΟΔΟΣ İ" }, [{ sourceLabels: ["a"], targetLabel: "u", action: "uppercase" }])!.u).toBe(
      "STRAßE ΟΔΟΣ İ",
    );
    expect(run({ a: "ΟΔΟΣ İ" }, [{ sourceLabels: ["a"], targetLabel: "l", action: "lowercase" }])!.l).toBe("οδοσ i");
  });
});
