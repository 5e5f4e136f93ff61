/**
 * An invalid `edgeprom.yml`. `path` names the offending field the way the file is written, e.g.
 * `scrape_configs[1].relabel_configs[0].action`; it is empty for errors about the whole file.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(path ? `${path}: ${reason}` : reason);
  }
}

/** The path of a field inside the object at `parent`. */
export function fieldPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** The path of a list item inside the list at `parent`. */
export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
