import { type Alias, isAlias, isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Node } from "yaml";
import { ConfigError } from "./config-error";

/** A YAML scalar as written: its text (no type guessing) and whether it was quoted. */
export class YamlScalar {
  constructor(
    readonly text: string,
    readonly quoted: boolean,
  ) {}
}

/** A YAML mapping with string keys, in file order. */
export class YamlMapping {
  constructor(readonly entries: ReadonlyMap<string, YamlValue>) {}
}

export type YamlValue = null | YamlScalar | YamlMapping | YamlValue[];

/** Plain data for sections kept as written (alertmanagers, storage, ...): scalars stay strings. */
export type RawYaml = null | string | RawYaml[] | { [key: string]: RawYaml };

// Go's YAML decoder treats these plain scalars as null.
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);

/**
 * Parses YAML into a tree whose scalars keep their source text, so that each field decides its own type the way
 * Prometheus's Go structs do (a quoted '' stays an empty string, `replacement: 1` is the string "1"). Duplicate keys
 * are errors, as in Prometheus's strict loading.
 */
export function parseYamlTree(text: string): YamlValue {
  // The failsafe schema resolves nothing: every scalar is a string and types come from the fields.
  const document = parseDocument(text, { schema: "failsafe", uniqueKeys: true, prettyErrors: true, merge: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const where = first.linePos ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : "";
    throw new ConfigError("", `invalid YAML${where}: ${first.message.split(" at line ")[0].split("\n")[0]}`);
  }
  return toTree(document, document.contents, 0);
}

function toTree(document: Document, node: Node | null | undefined, depth: number): YamlValue {
  if (depth > 64) throw new ConfigError("", "invalid YAML: nesting deeper than 64 levels");
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toTree(document, (node as Alias).resolve(document) as Node | undefined, depth + 1);
  if (isScalar(node)) {
    const scalar = node as Scalar;
    const quoted = scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE;
    const text = String(scalar.value ?? "");
    const isBlock = scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED;
    if (!quoted && !isBlock && NULL_WORDS.has(text)) return null;
    return new YamlScalar(text, quoted || isBlock);
  }
  if (isSeq(node)) return node.items.map((item) => toTree(document, item as Node, depth + 1));
  if (isMap(node)) {
    const entries = new Map<string, YamlValue>();
    const merged: YamlValue[] = [];
    for (const pair of node.items) {
      // `<<: *anchor` (YAML merge keys, which Prometheus's Go YAML decoder supports) are applied after the
      // mapping's own keys, which win.
      if (isScalar(pair.key) && typeof pair.key.value === "symbol") {
        merged.push(toTree(document, pair.value as Node | null, depth + 1));
        continue;
      }
      const key = toTree(document, pair.key as Node, depth + 1);
      if (!(key instanceof YamlScalar)) throw new ConfigError("", "invalid YAML: mapping keys must be plain strings");
      entries.set(key.text, toTree(document, pair.value as Node | null, depth + 1));
    }
    for (const source of merged.flatMap((value) => (Array.isArray(value) ? value : [value]))) {
      if (!(source instanceof YamlMapping)) throw new ConfigError("", "invalid YAML: `<<` must merge a mapping");
      // Earlier merged mappings take precedence over later ones.
      for (const [key, value] of source.entries) if (!entries.has(key)) entries.set(key, value);
    }
    return new YamlMapping(entries);
  }
  throw new ConfigError("", "invalid YAML: unsupported node");
}

/** Converts a tree to plain data, for sections kept as written. */
export function toRawYaml(value: YamlValue): RawYaml {
  if (value === null) return null;
  if (value instanceof YamlScalar) return value.text;
  if (Array.isArray(value)) return value.map(toRawYaml);
  const out: { [key: string]: RawYaml } = {};
  for (const [key, entry] of value.entries) out[key] = toRawYaml(entry);
  return out;
}
