import { describe, expect, it } from "vitest";
import { RelabelRegex, RelabelRegexError } from "./regex";

describe("RelabelRegex", () => {
  it("is fully anchored", () => {
    const regex = RelabelRegex.compile("foo");
    expect(regex.matches("foo")).toBe(true);
    expect(regex.matches("foobar")).toBe(false);
    expect(regex.matches("afoo")).toBe(false);
    expect(RelabelRegex.compile(".*foo.*").matches("afoob")).toBe(true);
  });

  it("anchors alternations as a whole", () => {
    const regex = RelabelRegex.compile("a|b");
    expect(regex.matches("a")).toBe(true);
    expect(regex.matches("ab")).toBe(false);
  });

  it("lets . match newlines (Prometheus 3)", () => {
    expect(RelabelRegex.compile("foo.bar").matches("foo\nbar")).toBe(true);
  });

  it("uses RE2 syntax, not JavaScript's", () => {
    expect(RelabelRegex.compile("(?P<name>x)").matches("x")).toBe(true);
    expect(RelabelRegex.compile("[[:digit:]]+").matches("123")).toBe(true);
    expect(() => RelabelRegex.compile("(a)\\1")).toThrow(RelabelRegexError);
    expect(() => RelabelRegex.compile("(?=a)")).toThrow(RelabelRegexError);
    expect(() => RelabelRegex.compile("(unclosed")).toThrow(/invalid regex "\(unclosed": missing closing \)/);
  });

  it("expands templates like Go's Regexp.Expand", () => {
    const regex = RelabelRegex.compile("(?P<first>f)(o+)(x)?");
    const groups = regex.match("foo");
    expect(groups).not.toBeNull();
    const expand = (template: string) => regex.expand(template, groups!);
    expect(expand("$1")).toBe("f");
    expect(expand("${1}")).toBe("f");
    expect(expand("$2-$1")).toBe("oo-f");
    expect(expand("$first")).toBe("f");
    expect(expand("${first}x")).toBe("fx");
    // `$1x` names the group "1x", which does not exist.
    expect(expand("$1x")).toBe("");
    expect(expand("${1}x")).toBe("fx");
    // A group that did not take part, or one out of range, expands to nothing.
    expect(expand("[$3][$9][$nope]")).toBe("[][][]");
    expect(expand("$$1")).toBe("$1");
    expect(expand("cost: $")).toBe("cost: $");
    expect(expand("${1")).toBe("${1");
    expect(expand("$-")).toBe("$-");
    expect(expand("$0")).toBe("foo");
    // Leading zeros make a name, not a number.
    expect(expand("$01")).toBe("");
  });

  it("returns null for a non-matching value", () => {
    expect(RelabelRegex.compile("a(b)").match("ac")).toBeNull();
  });

  it("gives the same answers through its shortcuts and memo as through RE2", () => {
    const cases: [string, string[]][] = [
      ["(.*)", ["", "x", "a\nb"]],
      [".*", ["", "x"]],
      ["", ["", "x"]],
      ["path", ["path", "paths", "xpath", ""]],
      ["a|b|", ["a", "b", "", "ab", "a|b"]],
      ["go_gc_.*", ["go_gc_x", "go_gc_", "go_g"]],
      ["(?i)up", ["UP", "up", "uP", "upx"]],
      ["a.b", ["a.b", "axb", "a\nb", "ab"]],
    ];
    for (const [source, values] of cases) {
      const regex = RelabelRegex.compile(source);
      const reference = RelabelRegex.compile(`(?:${source})`);
      for (let round = 0; round < 2; round++) {
        for (const value of values) {
          expect(regex.matches(value), `${source} ~ ${JSON.stringify(value)}`).toBe(reference.matches(value));
          expect(regex.match(value)?.[0]).toBe(reference.match(value)?.[0]);
        }
      }
    }
    expect(RelabelRegex.compile("(.*)").match("v")).toEqual(["v", "v"]);
    expect(RelabelRegex.compile("a|b").match("b")).toEqual(["b"]);
  });

  it("stays correct when its memo overflows", () => {
    const regex = RelabelRegex.compile("v([0-9]+)");
    for (let i = 0; i < 40_000; i++) expect(regex.match(`v${i}`)![1]).toBe(String(i));
    expect(regex.matches("v1")).toBe(true);
    expect(regex.matches("w1")).toBe(false);
  });
});
