import type { MemSeries } from "./mem-series";

/**
 * Finds a head series by the hash of its labels (`seriesHashOf` in the batch codec); the caller compares labels to
 * resolve collisions, so no per-series key string is kept. Keys are cut to 30 bits so that they are small integers
 * (Smis) in V8 even with pointer compression: a larger number key is a heap number, allocated and hashed slowly on
 * every lookup. The hash is local to this map and never persisted; shard placement uses the 64-bit labels hash.
 */
export class SeriesLookup {
  readonly #map = new Map<number, MemSeries | MemSeries[]>();

  /** The series (one, or several on a collision) whose hash is `hash`. */
  candidates(hash: number): MemSeries | MemSeries[] | undefined {
    return this.#map.get(hash & 0x3fffffff);
  }

  get(hash: number, matches: (series: MemSeries) => boolean): MemSeries | undefined {
    const hit = this.candidates(hash);
    if (hit === undefined) return undefined;
    if (!Array.isArray(hit)) return matches(hit) ? hit : undefined;
    return hit.find(matches);
  }

  add(series: MemSeries): void {
    const key = series.hash & 0x3fffffff;
    const hit = this.#map.get(key);
    if (hit === undefined) this.#map.set(key, series);
    else if (Array.isArray(hit)) hit.push(series);
    else this.#map.set(key, [hit, series]);
  }

  remove(series: MemSeries): void {
    const key = series.hash & 0x3fffffff;
    const hit = this.#map.get(key);
    if (hit === series) this.#map.delete(key);
    else if (Array.isArray(hit)) {
      const rest = hit.filter((s) => s !== series);
      if (rest.length === 1) this.#map.set(key, rest[0]);
      else this.#map.set(key, rest);
    }
  }
}
