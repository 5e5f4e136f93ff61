import { ByteReader } from "../wal/byte-reader";
import { ByteWriter } from "../wal/byte-writer";

/** A deleted time range [mint, maxt] (inclusive, as Prometheus's tombstone intervals). */
export interface Interval {
  mint: number;
  maxt: number;
}

/** Deletion times are clamped to ±2^51 ms so they encode exactly as varints; no sample lies outside. */
const TIME_LIMIT = 2 ** 51;

export function clampTime(t: number): number {
  return Math.max(-TIME_LIMIT, Math.min(TIME_LIMIT, t));
}

/**
 * One `deleteSeries` call as a row: uvarint count, count × uvarint (seriesId delta), varint mint, varint maxt.
 */
export function encodeTombstone(seriesIds: readonly number[], interval: Interval): Uint8Array {
  const w = new ByteWriter(16 + seriesIds.length * 2);
  w.uvarint(seriesIds.length);
  let prev = 0;
  for (const id of seriesIds) {
    w.uvarint(id - prev);
    prev = id;
  }
  w.varint(clampTime(interval.mint));
  w.varint(clampTime(interval.maxt));
  return w.finish();
}

export function decodeTombstone(bytes: Uint8Array): { seriesIds: number[]; interval: Interval } {
  const r = new ByteReader(bytes);
  const n = r.count(1, "series");
  const seriesIds: number[] = [];
  let prev = 0;
  for (let i = 0; i < n; i++) seriesIds.push((prev += r.uvarint()));
  const mint = r.varint();
  const maxt = r.varint();
  return { seriesIds, interval: { mint, maxt } };
}

/** Deleted intervals per series, honoured by select (and by block compaction). */
export class Tombstones {
  readonly #bySeries = new Map<number, Interval[]>();

  add(seriesIds: readonly number[], interval: Interval): void {
    for (const id of seriesIds) {
      const list = this.#bySeries.get(id);
      if (list) list.push(interval);
      else this.#bySeries.set(id, [interval]);
    }
  }

  intervals(seriesId: number): readonly Interval[] {
    return this.#bySeries.get(seriesId) ?? NONE;
  }

  /** True when some interval covers all of [mint, maxt]. */
  covers(seriesId: number, mint: number, maxt: number): boolean {
    for (const i of this.intervals(seriesId)) if (i.mint <= mint && i.maxt >= maxt) return true;
    return false;
  }

  /** True when sample time `t` is deleted. */
  deletes(seriesId: number, t: number): boolean {
    for (const i of this.intervals(seriesId)) if (i.mint <= t && t <= i.maxt) return true;
    return false;
  }

  overlaps(seriesId: number, mint: number, maxt: number): boolean {
    for (const i of this.intervals(seriesId)) if (i.mint <= maxt && i.maxt >= mint) return true;
    return false;
  }
}

const NONE: readonly Interval[] = [];
