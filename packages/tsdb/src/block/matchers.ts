import { RE2JS } from "re2js";
import { BlockError } from "./errors";

/** The shared label matcher shape. Regex matchers are fully anchored RE2 (Prometheus's semantics). */
export interface LabelMatcher {
  readonly type: "=" | "!=" | "=~" | "!~";
  readonly name: string;
  readonly value: string;
}

export class InvalidMatcherError extends BlockError {
  override readonly name: string = "InvalidMatcherError";
}

/** A predicate over a label's value; a series without the label is tested with "". */
export function compileMatcher(matcher: LabelMatcher): (value: string) => boolean {
  switch (matcher.type) {
    case "=":
      return (v) => v === matcher.value;
    case "!=":
      return (v) => v !== matcher.value;
    case "=~":
    case "!~": {
      let re: RE2JS;
      try {
        re = RE2JS.compile(`^(?:${matcher.value})$`);
      } catch (err) {
        throw new InvalidMatcherError(`invalid regular expression ${JSON.stringify(matcher.value)}: ${String(err)}`);
      }
      return matcher.type === "=~" ? (v) => re.matches(v) : (v) => !re.matches(v);
    }
    default:
      throw new InvalidMatcherError(`unknown matcher type ${JSON.stringify((matcher as { type: unknown }).type)}`);
  }
}
