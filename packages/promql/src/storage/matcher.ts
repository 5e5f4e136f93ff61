import { RE2JS } from "re2js";
import type { LabelMatcher, Labels } from "../value";

export class InvalidRegexError extends Error {
  override readonly name = "InvalidRegexError";
}

/** A label matcher ready to test values: regexes are RE2, fully anchored, `.` matches newlines (Prometheus 3). */
export interface CompiledMatcher {
  readonly name: string;
  matches(value: string): boolean;
}

const regexCache = new Map<string, RE2JS>();

/** Compiles a PromQL regex the way Prometheus's label matchers do: anchored at both ends, with DOTALL. */
export function compileAnchoredRegex(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(`^(?:${pattern})$`, RE2JS.DOTALL);
    } catch (e) {
      throw new InvalidRegexError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

export function compileMatcher(m: LabelMatcher): CompiledMatcher {
  switch (m.type) {
    case "=":
      return { name: m.name, matches: (v) => v === m.value };
    case "!=":
      return { name: m.name, matches: (v) => v !== m.value };
    case "=~": {
      const re = compileAnchoredRegex(m.value);
      return { name: m.name, matches: (v) => re.matches(v) };
    }
    case "!~": {
      const re = compileAnchoredRegex(m.value);
      return { name: m.name, matches: (v) => !re.matches(v) };
    }
  }
}

/** True when every matcher accepts the label set; a missing label reads as the empty string. */
export function matchesAll(labels: Labels, matchers: readonly CompiledMatcher[]): boolean {
  for (const m of matchers) {
    let value = "";
    for (const l of labels) {
      if (l.name === m.name) {
        value = l.value;
        break;
      }
    }
    if (!m.matches(value)) return false;
  }
  return true;
}
