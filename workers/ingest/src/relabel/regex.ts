import { RE2JS } from "re2js";

/** A relabel `regex` that RE2 rejects. */
export class RelabelRegexError extends Error {
  override readonly name = "RelabelRegexError";
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`invalid regex ${JSON.stringify(source)}: ${reason}`);
  }
}

// A regex without RE2 metacharacters other than top-level `|`: it matches exactly one of its alternatives.
const LITERAL_ALTERNATION = /^[^\\.+*?()[\]{}^$]*$/;

// Bounded so that high-cardinality values cannot grow memory without limit: when full, start over.
const CACHE_ENTRIES = 16_384;

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_ENTRIES) cache.clear();
  cache.set(key, value);
}

// Go's regexp.Expand takes the longest run of letters, digits and underscores after `$` as the reference name.
const TEMPLATE_NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * A relabeling regular expression: RE2 syntax, fully anchored and with `.` matching newlines, exactly as Prometheus
 * compiles it (`^(?s:<regex>)$`). Also implements Go's `Regexp.Expand` template syntax used by `replacement` and
 * `target_label`.
 */
export class RelabelRegex {
  private readonly compiled: RE2JS;
  private readonly groupIndex: Record<string, number>;
  // Relabeling sees the same values again and again (metric names, label names, the same series every scrape),
  // and re2js costs ~1-15 µs a match, so results are memoised; the regex is pure, so this cannot change results.
  private readonly matchesCache = new Map<string, boolean>();
  private readonly matchCache = new Map<string, (string | undefined)[] | null>();
  // Exact shortcuts for the most common regexes: the default `(.*)`, `.*`, and alternations of literals.
  private readonly matchesEverything: boolean;
  private readonly capturesWhole: boolean;
  private readonly literals: ReadonlySet<string> | undefined;

  private constructor(readonly source: string) {
    try {
      this.compiled = RE2JS.compile(`^(?s:${source})$`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new RelabelRegexError(source, message.replace(/^error parsing regexp: /, ""));
    }
    this.groupIndex = this.compiled.namedGroups();
    this.matchesEverything = source === ".*" || source === "(.*)";
    this.capturesWhole = source === "(.*)";
    this.literals = LITERAL_ALTERNATION.test(source) ? new Set(source.split("|")) : undefined;
  }

  static compile(source: string): RelabelRegex {
    return new RelabelRegex(source);
  }

  /** Whether the whole value matches. */
  matches(value: string): boolean {
    if (this.matchesEverything) return true;
    if (this.literals) return this.literals.has(value);
    let result = this.matchesCache.get(value);
    if (result === undefined) {
      result = this.compiled.testExact(value);
      remember(this.matchesCache, value, result);
    }
    return result;
  }

  /**
   * The capture groups of a whole-value match (index 0 is the whole value; `undefined` for a group that did not
   * take part), or null when the value does not match.
   */
  match(value: string): (string | undefined)[] | null {
    if (this.capturesWhole) return [value, value];
    if (this.literals) return this.literals.has(value) ? [value] : null;
    let result = this.matchCache.get(value);
    if (result === undefined) {
      result = this.matchUncached(value);
      remember(this.matchCache, value, result);
    }
    return result;
  }

  private matchUncached(value: string): (string | undefined)[] | null {
    const matcher = this.compiled.matcher(value);
    if (!matcher.matches()) return null;
    const groups: (string | undefined)[] = [];
    const count = matcher.groupCount();
    for (let i = 0; i <= count; i++) groups.push(matcher.group(i) ?? undefined);
    return groups;
  }

  /**
   * Expands `$1`, `${1}`, `$name`, `${name}` and `$$` in `template` from `groups`, as Go's `Regexp.ExpandString`:
   * an unknown or non-participating group expands to "", `$1x` names group "1x", and a malformed reference keeps
   * its `$` as text.
   */
  expand(template: string, groups: readonly (string | undefined)[]): string {
    let out = "";
    let i = 0;
    while (i < template.length) {
      const dollar = template.indexOf("$", i);
      if (dollar < 0) break;
      out += template.slice(i, dollar);
      i = dollar + 1;
      if (template[i] === "$") {
        out += "$";
        i++;
        continue;
      }
      const reference = readReference(template, i);
      if (!reference) {
        out += "$";
        continue;
      }
      i = reference.end;
      out += this.groupValue(reference.name, groups) ?? "";
    }
    return out + template.slice(i);
  }

  private groupValue(name: string, groups: readonly (string | undefined)[]): string | undefined {
    const number = parseGroupNumber(name);
    if (number >= 0) return groups[number];
    const index = this.groupIndex[name];
    return index === undefined ? undefined : groups[index];
  }
}

function readReference(template: string, start: number): { name: string; end: number } | null {
  const braced = template[start] === "{";
  let i = braced ? start + 1 : start;
  const nameStart = i;
  for (const char of template.slice(nameStart)) {
    if (!TEMPLATE_NAME_CHAR.test(char)) break;
    i += char.length;
  }
  if (i === nameStart) return null;
  const name = template.slice(nameStart, i);
  if (braced) {
    if (template[i] !== "}") return null;
    i++;
  }
  return { name, end: i };
}

// Go treats a reference as a group number only when it is all ASCII digits (at most nine) without a leading zero.
function parseGroupNumber(name: string): number {
  if (!/^[0-9]{1,9}$/.test(name)) return -1;
  if (name.length > 1 && name[0] === "0") return -1;
  return Number(name);
}

/** Whether a template may refer to a capture group: Prometheus's test is simply whether it contains `$`. */
export function hasTemplateReference(template: string): boolean {
  return template.includes("$");
}
