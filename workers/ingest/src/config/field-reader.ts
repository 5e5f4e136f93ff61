import { ConfigError, fieldPath, itemPath } from "./config-error";
import { DurationError, parseDuration } from "./duration";
import { parseSize, SizeError } from "./size";
import { YamlMapping, YamlScalar, type YamlValue } from "./yaml-tree";

/** A list item with the path to report errors under. */
export interface ListItem {
  readonly value: YamlValue;
  readonly path: string;
}

/**
 * Reads the fields of one YAML mapping into typed values, reporting errors with the field's path. Every field must
 * be read, accepted or refused before `done()`, which rejects the rest as unknown, as Prometheus's strict
 * unmarshalling does.
 */
export class FieldReader {
  private readonly seen = new Set<string>();

  private constructor(
    readonly path: string,
    private readonly mapping: YamlMapping,
    private readonly typeName: string,
  ) {}

  /** A reader over `value`, which must be a mapping (null counts as an empty one). */
  static of(value: YamlValue, path: string, typeName: string): FieldReader {
    if (value === null) return new FieldReader(path, new YamlMapping(new Map()), typeName);
    if (!(value instanceof YamlMapping)) throw new ConfigError(path, `expected a mapping for ${typeName}`);
    return new FieldReader(path, value, typeName);
  }

  pathOf(key: string): string {
    return fieldPath(this.path, key);
  }

  /** Whether the field is present with a non-null value. */
  has(key: string): boolean {
    const value = this.mapping.entries.get(key);
    return value !== undefined && value !== null;
  }

  /** The field's raw value (undefined when absent or null), marking it read. */
  raw(key: string): YamlValue | undefined {
    this.seen.add(key);
    const value = this.mapping.entries.get(key);
    return value === null ? undefined : value;
  }

  string(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!(value instanceof YamlScalar)) throw new ConfigError(this.pathOf(key), "expected a string");
    return value.text;
  }

  /**
   * A string where an explicit null means "" rather than "absent": Go's decoder zeroes a defaulted string field
   * written as `key:` with no value (so `replacement:` deletes, as in Prometheus).
   */
  stringNullAsEmpty(key: string): string | undefined {
    if (this.mapping.entries.has(key) && this.mapping.entries.get(key) === null) {
      this.seen.add(key);
      return "";
    }
    return this.string(key);
  }

  boolean(key: string): boolean | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    if (/^(?:true|True|TRUE)$/.test(text)) return true;
    if (/^(?:false|False|FALSE)$/.test(text)) return false;
    throw new ConfigError(this.pathOf(key), `expected true or false, got ${JSON.stringify(text)}`);
  }

  /** A non-negative integer (Prometheus's limits are unsigned). */
  count(key: string): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    if (!/^\+?[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new ConfigError(this.pathOf(key), `expected a non-negative integer, got ${JSON.stringify(text)}`);
    }
    return Number(text);
  }

  float(key: string): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === "" || Number.isNaN(value)) {
      throw new ConfigError(this.pathOf(key), `expected a number, got ${JSON.stringify(text)}`);
    }
    return value;
  }

  /** A Prometheus duration in milliseconds. */
  duration(key: string): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    try {
      return parseDuration(text);
    } catch (err) {
      if (err instanceof DurationError) throw new ConfigError(this.pathOf(key), err.message);
      throw err;
    }
  }

  /** A Prometheus size in bytes. */
  size(key: string): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    try {
      return parseSize(text);
    } catch (err) {
      if (err instanceof SizeError) throw new ConfigError(this.pathOf(key), err.message);
      throw err;
    }
  }

  list(key: string): ListItem[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw new ConfigError(this.pathOf(key), "expected a list");
    return value.map((item, i) => ({ value: item, path: itemPath(this.pathOf(key), i) }));
  }

  stringList(key: string): string[] | undefined {
    return this.list(key)?.map((item) => {
      if (!(item.value instanceof YamlScalar)) throw new ConfigError(item.path, "expected a string");
      return item.value.text;
    });
  }

  object(key: string, typeName: string): FieldReader | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    return FieldReader.of(value, this.pathOf(key), typeName);
  }

  /** A mapping of strings to strings, in file order. */
  stringMap(key: string): Map<string, string> | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!(value instanceof YamlMapping)) throw new ConfigError(this.pathOf(key), "expected a mapping");
    const out = new Map<string, string>();
    for (const [name, entry] of value.entries) {
      if (entry === null) out.set(name, "");
      else if (entry instanceof YamlScalar) out.set(name, entry.text);
      else throw new ConfigError(fieldPath(this.pathOf(key), name), "expected a string");
    }
    return out;
  }

  /** The keys present, in file order. */
  keys(): string[] {
    return [...this.mapping.entries.keys()];
  }

  /** Marks a field as understood but without effect here. */
  accept(key: string): void {
    this.seen.add(key);
  }

  /** Fails when a field Prometheus has but edgeprom cannot honour is set. */
  refuse(key: string, reason: string): void {
    this.seen.add(key);
    if (this.has(key)) throw new ConfigError(this.pathOf(key), `not supported by edgeprom: ${reason}`);
  }

  /** Rejects every field not read, accepted or refused. */
  done(): void {
    for (const key of this.mapping.entries.keys()) {
      if (!this.seen.has(key)) throw new ConfigError(this.pathOf(key), `unknown field in ${this.typeName}`);
    }
  }
}
