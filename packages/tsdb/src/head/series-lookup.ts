import type { MemSeries } from "./mem-series";

/**
 * Finds a head series by the hash of its labels (`seriesHashOf` in the batch codec) with collisions resolved by the
 * caller's comparison, so no per-series key string is kept. The hash is local to this map and never persisted;
 * shard placement uses the stable 64-bit labels hash instead.
 */
export class SeriesLookup {
  readonly #map = new Map<number, MemSeries | MemSeries[]>();

  get(hash: number, matches: (series: MemSeries) => boolean): MemSeries | undefined {
    const hit = this.#map.get(hash);
    if (hit === undefined) return undefined;
    if (!Array.isArray(hit)) return matches(hit) ? hit : undefined;
    return hit.find(matches);
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
