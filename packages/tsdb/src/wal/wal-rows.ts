import type { WalRow } from "../shard/storage";
import { ByteReader, CorruptRecordError } from "./byte-reader";
import { ByteWriter } from "./byte-writer";

/**
 * A WAL record: the append batches committed together (one, or several joined by group commit), as
 * uvarint count, count × (uvarint byteLength, encoded append batch).
 */
export function encodeWalRecord(batches: readonly Uint8Array[]): Uint8Array {
  const w = new ByteWriter(batches.reduce((n, b) => n + b.length + 5, 5));
  w.uvarint(batches.length);
  for (const b of batches) w.lengthPrefixed(b);
  return w.finish();
}

/** The encoded append batches of a WAL record, in commit order (views into `record`). */
export function decodeWalRecord(record: Uint8Array): Uint8Array[] {
  const r = new ByteReader(record);
  const n = r.count(1, "batch");
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(r.lengthPrefixed());
  if (!r.done) throw new CorruptRecordError(`${r.remaining} trailing bytes after WAL record`);
  return out;
}

/** Largest WAL row payload; SQLite values are limited to 2 MB. */
export const MAX_WAL_ROW_BYTES = 1_500_000;

const LAST = 0;
const CONTINUED = 1;

/**
 * Splits one WAL record (an encoded append batch) into rows: each row is one flag byte (0: the record ends in this
 * row, 1: it continues in the next) followed by up to `MAX_WAL_ROW_BYTES` of the record. Nearly every record is one
 * row; the rows of a record are written in one transaction.
 */
export function walRowsFor(record: Uint8Array): Uint8Array[] {
  const rows: Uint8Array[] = [];
  for (let at = 0; at < record.length || rows.length === 0; at += MAX_WAL_ROW_BYTES) {
    const part = record.subarray(at, at + MAX_WAL_ROW_BYTES);
    const row = new Uint8Array(part.length + 1);
    row[0] = at + MAX_WAL_ROW_BYTES >= record.length ? LAST : CONTINUED;
    row.set(part, 1);
    rows.push(row);
  }
  return rows;
}

/** Reassembles records from rows in `seq` order; a trailing incomplete record is an error (rows commit together). */
export function* readWalRecords(
  rows: Iterable<WalRow>,
): Generator<{ seq: number; record: Uint8Array; rows: number; bytes: number }> {
  let parts: Uint8Array[] = [];
  for (const { seq, record: row } of rows) {
    if (row.length === 0) throw new CorruptRecordError(`empty WAL row ${seq}`);
    const flag = row[0];
    if (flag !== LAST && flag !== CONTINUED) throw new CorruptRecordError(`WAL row ${seq} has flag ${flag}`);
    parts.push(row.subarray(1));
    if (flag === CONTINUED) continue;
    const record = parts.length === 1 ? parts[0] : concat(parts);
    yield { seq, record, rows: parts.length, bytes: record.length };
    parts = [];
  }
  if (parts.length > 0) throw new CorruptRecordError("WAL ends inside a record");
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
