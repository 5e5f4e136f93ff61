import { labelsEqual, type Labels } from "../labels/label";
import type { MemSeries } from "./mem-series";

/**
 * Finds a head series by its labels. The key is a 32-bit hash over UTF-16 code units (one multiply a character,
 * cheaper than hashing UTF-8) with collisions resolved by comparing labels, so no per-series key string is kept.
 * The hash is local to this map and never persisted; shard placement uses the stable 64-bit labels hash instead.
 */
export class SeriesLookup {
  readonly #map = new Map<number, MemSeries | MemSeries[]>();

  get(labels: Labels, hash: number): MemSeries | undefined {
    const hit = this.#map.get(hash);
    if (hit === undefined) return undefined;
    if (!Array.isArray(hit)) return labelsEqual(hit.labels, labels) ? hit : undefined;
    return hit.find((s) => labelsEqual(s.labels, labels));
  }

  add(series: MemSeries): void {
    const hit = this.#map.get(series.hash);
    if (hit === undefined) this.#map.set(series.hash, series);
    else if (Array.isArray(hit)) hit.push(series);
    else this.#map.set(series.hash, [hit, series]);
  }

  remove(series: MemSeries): void {
    const hit = this.#map.get(series.hash);
    if (hit === series) this.#map.delete(series.hash);
    else if (Array.isArray(hit)) {
      const rest = hit.filter((s) => s !== series);
      if (rest.length === 1) this.#map.set(series.hash, rest[0]);
      else this.#map.set(series.hash, rest);
    }
  }
}

export function lookupHash(labels: Labels): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < labels.length; i++) {
    const { name, value } = labels[i];
    for (let j = 0; j < name.length; j++) h = Math.imul(h ^ name.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ 0xfffe, 0x01000193);
    for (let j = 0; j < value.length; j++) h = Math.imul(h ^ value.charCodeAt(j), 0x01000193);
    h = Math.imul(h ^ 0xffff, 0x01000193);
  }
  return h >>> 0;
}
