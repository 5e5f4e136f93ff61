import { RE2JS } from "re2js";
import type { LabelMatcher } from "@edgeprom/wire";

/** A remote-read matcher that cannot select anything: a regex that does not compile. Answered with 400. */
export class InvalidReadMatcherError extends Error {
  override readonly name = "InvalidReadMatcherError";
  readonly errorType = "bad_data";
}

/**
 * Checks regex matchers before the query fans out: a shard that fails to compile one reports it as a failed RPC,
 * which would reach the client as 503 (retry) instead of 400 (fix the query).
 */
export function validateReadMatchers(matchers: readonly LabelMatcher[]): void {
  for (const m of matchers) {
    if (m.type !== "=~" && m.type !== "!~") continue;
    try {
      RE2JS.compile(m.value);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new InvalidReadMatcherError(`invalid matcher ${m.name}${m.type}${JSON.stringify(m.value)}: ${reason}`);
    }
  }
}
