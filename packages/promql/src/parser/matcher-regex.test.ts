import { describe, expect, it } from "vitest";
import { compileMatcherRegex } from "./matcher-regex";

describe("compileMatcherRegex", () => {
  it("anchors the pattern and lets . match newlines, as Prometheus 3 does", () => {
    const compiled = compileMatcherRegex("a.c|x");
    if (!compiled.ok) throw new Error(compiled.message);
    expect(compiled.regex.matches("a\nc")).toBe(true);
    expect(compiled.regex.matches("xa\nc")).toBe(false);
    expect(compiled.regex.matches("x")).toBe(true);
    expect(compiled.regex.matches("")).toBe(false);
  });

  it("reports a syntax error with the pattern as written, and caches the result", () => {
    const first = compileMatcherRegex("(a");
    expect(first).toEqual({ ok: false, message: "error parsing regexp: missing closing ): `(a`" });
    expect(compileMatcherRegex("(a")).toBe(first);
  });
});
