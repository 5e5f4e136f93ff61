import { RE2JS, RE2JSException } from "re2js";

/** A Prometheus label matcher: `name op "value"`, regexes in RE2 syntax. */
export interface LabelMatcher {
  type: "=" | "!=" | "=~" | "!~";
  name: string;
  value: string;
}

/** A matcher whose regex does not compile, or whose operator is unknown. */
export class InvalidMatcherError extends Error {
  override readonly name = "InvalidMatcherError";
  constructor(
    readonly matcher: LabelMatcher,
    readonly reason: string,
  ) {
    super(`invalid matcher ${matcher.name}${matcher.type}${JSON.stringify(matcher.value)}: ${reason}`);
  }
  /** The HTTP API category (`toApiError` in @edgeprom/http reads it). */
  readonly errorType = "bad_data";
}

/**
 * A matcher ready to test label values. A missing label counts as the empty value, as in Prometheus, so a matcher
 * that matches "" also selects series that lack the label.
 */
export class CompiledMatcher {
  readonly name: string;
  readonly type: LabelMatcher["type"];
  readonly value: string;
  /** Whether the empty value (an absent label) matches. */
  readonly matchesEmpty: boolean;
  readonly #test: (value: string) => boolean;

  constructor(matcher: LabelMatcher) {
    this.name = matcher.name;
    this.type = matcher.type;
    this.value = matcher.value;
    switch (matcher.type) {
      case "=":
        this.#test = (v) => v === matcher.value;
        break;
      case "!=":
        this.#test = (v) => v !== matcher.value;
        break;
      case "=~":
      case "!~": {
        const regex = compileAnchored(matcher);
        const negate = matcher.type === "!~";
        this.#test = negate ? (v) => !regex.matches(v) : (v) => regex.matches(v);
        break;
      }
      default:
        throw new InvalidMatcherError(matcher, `unknown matcher type ${JSON.stringify(matcher.type)}`);
    }
    this.matchesEmpty = this.#test("");
  }

  matches(value: string): boolean {
    return this.#test(value);
  }
}

/**
 * Compiled regexes by source, per isolate: every shard of a fan-out (and every query of a dashboard) compiles the
 * same few regexes, and compiling costs far more than matching a label set. Compiled RE2 programs are immutable, so
 * sharing them is safe. Bounded by clearing when full.
 */
const compiledRegexes = new Map<string, RE2JS>();
const MAX_CACHED_REGEXES = 512;

/** Prometheus 3 anchors the regex on both ends and lets `.` match newlines. */
function compileAnchored(matcher: LabelMatcher): { matches(v: string): boolean } {
  try {
    let re = compiledRegexes.get(matcher.value);
    if (re === undefined) {
      re = RE2JS.compile(`^(?:${matcher.value})$`, RE2JS.DOTALL);
      if (compiledRegexes.size >= MAX_CACHED_REGEXES) compiledRegexes.clear();
      compiledRegexes.set(matcher.value, re);
    }
    const compiled = re;
    return { matches: (v) => compiled.testExact(v) };
  } catch (err) {
    if (err instanceof RE2JSException) throw new InvalidMatcherError(matcher, err.message);
    throw err;
  }
}

export function compileMatchers(matchers: readonly LabelMatcher[]): CompiledMatcher[] {
  return matchers.map((m) => new CompiledMatcher(m));
}
