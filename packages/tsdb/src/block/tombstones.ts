import { ByteReader } from "./byte-reader";
import { ByteWriter } from "./byte-writer";
import { crc32c } from "@edgeprom/wire";
import { BlockFormatError, ChecksumMismatchError } from "./errors";

export const TOMBSTONES_MAGIC = 0x0130ba30;
export const TOMBSTONES_FORMAT_V1 = 1;

/** A deleted time range, both ends inclusive (Prometheus's `tombstones.Interval`). */
export interface Interval {
  readonly mint: number;
  readonly maxt: number;
}

/** Series reference → deleted intervals (sorted, non-overlapping). */
export type Tombstones = ReadonlyMap<number, readonly Interval[]>;

/**
 * The tombstones file: magic, version byte, then (series ref uvarint, mint varint, maxt varint) per interval, then
 * CRC-32C of the entries (not of the version byte, as Prometheus computes it).
 */
export function encodeTombstones(tombstones: Tombstones): Uint8Array {
  const w = new ByteWriter(64);
  w.be32(TOMBSTONES_MAGIC);
  w.byte(TOMBSTONES_FORMAT_V1);
  const entriesStart = w.length;
  for (const ref of [...tombstones.keys()].sort((a, b) => a - b)) {
    for (const interval of tombstones.get(ref) as readonly Interval[]) {
      w.uvarint(ref);
      w.varint(interval.mint);
      w.varint(interval.maxt);
    }
  }
  w.be32(crc32c(w.bytes(), entriesStart, w.length));
  return w.toUint8Array();
}

export function decodeTombstones(bytes: Uint8Array): Map<number, Interval[]> {
  if (bytes.length < 9) throw new BlockFormatError("tombstones: shorter than header and checksum");
  const r = new ByteReader(bytes, "tombstones", 0, bytes.length - 4);
  if (r.be32() !== TOMBSTONES_MAGIC) throw new BlockFormatError("tombstones: bad magic");
  const version = r.byte();
  if (version !== TOMBSTONES_FORMAT_V1) throw new BlockFormatError(`tombstones: unknown version ${version}`);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0);
  const actual = crc32c(bytes, 5, bytes.length - 4);
  if (stored !== actual) throw new ChecksumMismatchError("tombstones", stored, actual);
  const out = new Map<number, Interval[]>();
  while (r.remaining > 0) {
    const ref = r.uvarint();
    const interval = { mint: r.varint(), maxt: r.varint() };
    const list = out.get(ref);
    out.set(ref, list === undefined ? [interval] : addInterval(list, interval));
  }
  return out;
}

/** Adds an interval to a sorted, non-overlapping list, merging neighbours it overlaps or touches. */
export function addInterval(intervals: readonly Interval[], added: Interval): Interval[] {
  const out: Interval[] = [];
  let merged = added;
  let placed = false;
  for (const current of intervals) {
    if (current.maxt < merged.mint - 1) out.push(current);
    else if (current.mint > merged.maxt + 1) {
      if (!placed) {
        out.push(merged);
        placed = true;
      }
      out.push(current);
    } else {
      merged = {
        mint: Math.min(current.mint, merged.mint),
        maxt: Math.max(current.maxt, merged.maxt),
      };
    }
  }
  if (!placed) out.push(merged);
  return out;
}

/** Whether `intervals` delete every time in [minTime, maxTime]. */
export function coversRange(intervals: readonly Interval[], minTime: number, maxTime: number): boolean {
  return intervals.some((i) => i.mint <= minTime && maxTime <= i.maxt);
}

/** Whether any interval touches [minTime, maxTime]. */
export function overlapsRange(intervals: readonly Interval[], minTime: number, maxTime: number): boolean {
  return intervals.some((i) => i.mint <= maxTime && minTime <= i.maxt);
}
