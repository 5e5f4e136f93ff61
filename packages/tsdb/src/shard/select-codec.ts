import type { Label } from "../labels/label";
import { utf8ByteLength } from "../labels/utf8";
import { ByteReader, CorruptRecordError } from "../wal/byte-reader";
import { putUvarint, uvarintSize } from "../wal/varint";
import type { SelectedChunk, SelectedSeries } from "./select-types";

/**
 * One shard's select answer packed into one byte array, so that a Durable Object RPC carries a single buffer instead
 * of an object per series, per label and per chunk: the structured clone of a 600-series answer in objects cost far
 * more than the shard's own work. Layout (also in docs/promql-engine.md), little-endian, varints unsigned LEB128:
 *
 *     u8      version (1)
 *     varint  string count, then per string: varint UTF-8 byte length, bytes   (label names and values, each once)
 *     varint  series count, then per series:
 *               varint label count, then per label: varint name index, varint value index
 *               varint chunk count, then per chunk:
 *                 u8 encoding, f64 mint, f64 maxt, varint byte length, chunk bytes
 *
 * Series and chunks keep the order they were encoded in (a shard's answer is sorted by labels, chunks by mint).
 */
export type PackedSelection = Uint8Array;

const VERSION = 1;

/** A packed selection that does not decode: truncated, a wrong version, or an index out of range. */
export class SelectionDecodeError extends Error {
  override readonly name = "SelectionDecodeError";
  /** The HTTP API category (`toApiError` in @edgeprom/http reads it): a storage answer we cannot read is our fault. */
  readonly errorType = "internal";
}

const utf8Encoder = new TextEncoder();

/** Packs a select answer (see `PackedSelection` for the layout). */
export function encodeSelection(series: readonly SelectedSeries[]): PackedSelection {
  const stringIndex = new Map<string, number>();
  const strings: string[] = [];
  const indexOf = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      stringIndex.set(s, i);
      strings.push(s);
    }
    return i;
  };
  // Pass 1: the string table and the exact size, so the answer is written into one allocation.
  let size = 1 + uvarintSize(series.length);
  for (const s of series) {
    size += uvarintSize(s.labels.length) + uvarintSize(s.chunks.length);
    for (const l of s.labels) size += uvarintSize(indexOf(l.name)) + uvarintSize(indexOf(l.value));
    for (const c of s.chunks) size += 1 + 16 + uvarintSize(c.data.length) + c.data.length;
  }
  const stringLengths = strings.map(utf8ByteLength);
  size += uvarintSize(strings.length);
  for (const n of stringLengths) size += uvarintSize(n) + n;

  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = VERSION;
  let pos = putUvarint(out, 1, strings.length);
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i]!;
    const n = stringLengths[i]!;
    pos = putUvarint(out, pos, n);
    if (n === s.length) {
      for (let k = 0; k < n; k++) out[pos + k] = s.charCodeAt(k);
    } else {
      utf8Encoder.encodeInto(s, out.subarray(pos, pos + n));
    }
    pos += n;
  }
  pos = putUvarint(out, pos, series.length);
  for (const s of series) {
    pos = putUvarint(out, pos, s.labels.length);
    for (const l of s.labels) {
      pos = putUvarint(out, pos, stringIndex.get(l.name)!);
      pos = putUvarint(out, pos, stringIndex.get(l.value)!);
    }
    pos = putUvarint(out, pos, s.chunks.length);
    for (const c of s.chunks) {
      out[pos++] = c.encoding;
      view.setFloat64(pos, c.mint, true);
      view.setFloat64(pos + 8, c.maxt, true);
      pos = putUvarint(out, pos + 16, c.data.length);
      out.set(c.data, pos);
      pos += c.data.length;
    }
  }
  return out;
}

/**
 * Unpacks a select answer. Labels share the decoded strings; chunk bytes are views into `packed` (no copy), so the
 * answer's buffer lives as long as any of its chunks.
 */
export function decodeSelection(packed: PackedSelection): SelectedSeries[] {
  try {
    return decodePacked(new ByteReader(packed));
  } catch (err) {
    if (err instanceof CorruptRecordError) throw new SelectionDecodeError(err.message, { cause: err });
    throw err;
  }
}

function decodePacked(reader: ByteReader): SelectedSeries[] {
  const version = reader.u8();
  if (version !== VERSION) throw new SelectionDecodeError(`select answer has version ${version}, expected ${VERSION}`);
  const strings = new Array<string>(reader.count(1, "string"));
  for (let i = 0; i < strings.length; i++) strings[i] = reader.string();
  const string = (): string => {
    const i = reader.uvarint();
    if (i >= strings.length) throw new SelectionDecodeError(`string index ${i} out of range at byte ${reader.pos}`);
    return strings[i]!;
  };
  const out = new Array<SelectedSeries>(reader.count(2, "series"));
  for (let k = 0; k < out.length; k++) {
    const labels = new Array<Label>(reader.count(2, "label"));
    for (let i = 0; i < labels.length; i++) {
      const name = string();
      labels[i] = { name, value: string() };
    }
    const chunks = new Array<SelectedChunk>(reader.count(18, "chunk"));
    for (let i = 0; i < chunks.length; i++) {
      const encoding = reader.u8();
      const mint = reader.f64();
      const maxt = reader.f64();
      chunks[i] = { encoding, mint, maxt, data: reader.bytes(reader.uvarint()) };
    }
    out[k] = { labels, chunks };
  }
  if (!reader.done) throw new SelectionDecodeError(`${reader.remaining} trailing bytes after the select answer`);
  return out;
}
