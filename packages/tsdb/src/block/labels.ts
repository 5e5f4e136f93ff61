/** The structural label types shared across edgeprom packages (see the contracts in the project notes). */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** Sorted by name, names unique. */
export type LabelSet = readonly Label[];

/**
 * Orders strings by their UTF-8 bytes, as Go compares strings: Prometheus sorts symbols, series and postings that
 * way. JavaScript's `<` compares UTF-16 code units, which disagrees only where a surrogate pair (code points above
 * U+FFFF) meets a code unit in U+E000–U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const xSurrogate = x <= 0xdfff;
      const ySurrogate = y <= 0xdfff;
      if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Prometheus's `labels.Compare`: pairwise by name then value, then the shorter set first. */
export function compareLabelSets(a: LabelSet, b: LabelSet): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const byName = compareUtf8(a[i].name, b[i].name);
    if (byName !== 0) return byName;
    const byValue = compareUtf8(a[i].value, b[i].value);
    if (byValue !== 0) return byValue;
  }
  return a.length - b.length;
}

/** A stable string key of a label set, for maps (names and values cannot contain the 0xff separator in UTF-16). */
export function labelSetKey(labels: LabelSet): string {
  let key = "";
  for (const label of labels) key += `${label.name}\u0000${label.value}\u0001`;
  return key;
}
