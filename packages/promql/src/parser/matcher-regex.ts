import { RE2JS } from "re2js";

/**
 * Regex label matchers as Prometheus compiles them: RE2 syntax, fully anchored, `.` matching newlines. Compiled
 * patterns are kept in a small cache because the parser validates a pattern and the type check asks whether it
 * matches the empty string, and dashboards send the same selectors again and again.
 */

export type CompiledMatcherRegex = { ok: true; regex: RE2JS } | { ok: false; message: string };

const CACHE_LIMIT = 500;
const cache = new Map<string, CompiledMatcherRegex>();

export function compileMatcherRegex(pattern: string): CompiledMatcherRegex {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let compiled: CompiledMatcherRegex;
  try {
    // The bare pattern first, so that a syntax error quotes what the user wrote rather than our anchoring.
    RE2JS.compile(pattern);
    compiled = { ok: true, regex: RE2JS.compile(`^(?:${pattern})$`, RE2JS.DOTALL) };
  } catch (err) {
    compiled = { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, compiled);
  return compiled;
}
