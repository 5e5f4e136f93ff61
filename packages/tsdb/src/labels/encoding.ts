import { putUvarint, uvarintSize } from "../wal/varint";
import { compareStrings, type Label, type Labels } from "./label";
import { utf8ByteLength } from "./utf8";

/**
 * Binary form of a label set, for WAL records and SQLite rows. It is the layout Prometheus's WAL uses for series
 * records: `uvarint(count)` then, per label in sorted order, `uvarint(len) name-bytes uvarint(len) value-bytes`
 * (UTF-8, no terminator).
 */
export class LabelsDecodeError extends Error {
  override readonly name = "LabelsDecodeError";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function encodeLabels(labels: Labels): Uint8Array {
  const out = new Uint8Array(encodedLabelsSize(labels));
  let pos = putUvarint(out, 0, labels.length);
  for (let i = 0; i < labels.length; i++) {
    pos = putString(out, pos, labels[i].name);
    pos = putString(out, pos, labels[i].value);
  }
  return out;
}

/** The number of bytes `encodeLabels(labels)` produces. */
export function encodedLabelsSize(labels: Labels): number {
  let size = uvarintSize(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const n = utf8ByteLength(labels[i].name);
    const v = utf8ByteLength(labels[i].value);
    size += uvarintSize(n) + n + uvarintSize(v) + v;
  }
  return size;
}

/** Writes `uvarint(len) utf8`; ASCII byte by byte (short strings: faster than TextEncoder's call overhead). */
function putString(out: Uint8Array, pos: number, s: string): number {
  const len = utf8ByteLength(s);
  pos = putUvarint(out, pos, len);
  if (len === s.length) {
    for (let i = 0; i < s.length; i++) out[pos + i] = s.charCodeAt(i);
  } else {
    encoder.encodeInto(s, out.subarray(pos, pos + len));
  }
  return pos + len;
}

/** Decodes a label set that fills `bytes` exactly. */
export function decodeLabels(bytes: Uint8Array): Labels {
  const { labels, next } = decodeLabelsAt(bytes, 0);
  if (next !== bytes.length) throw new LabelsDecodeError(`${bytes.length - next} trailing bytes after label set`);
  return labels;
}

/** Decodes a label set starting at `offset`; returns it and the offset just past it (for records holding many). */
export function decodeLabelsAt(bytes: Uint8Array, offset: number): { labels: Labels; next: number } {
  const cursor = { pos: offset };
  const count = readUvarint(bytes, cursor);
  if (count > bytes.length - cursor.pos) throw new LabelsDecodeError(`label count ${count} exceeds the record`);
  const labels: Label[] = [];
  for (let i = 0; i < count; i++) {
    const name = readString(bytes, cursor);
    const value = readString(bytes, cursor);
    if (i > 0 && compareStrings(labels[i - 1].name, name) >= 0) {
      throw new LabelsDecodeError(`label names not sorted and unique at ${JSON.stringify(name)}`);
    }
    labels.push({ name, value });
  }
  return { labels, next: cursor.pos };
}

function readString(bytes: Uint8Array, cursor: { pos: number }): string {
  const len = readUvarint(bytes, cursor);
  const end = cursor.pos + len;
  if (end > bytes.length) throw new LabelsDecodeError("label string runs past the end of the record");
  let s: string;
  try {
    s = decoder.decode(bytes.subarray(cursor.pos, end));
  } catch {
    throw new LabelsDecodeError("label string is not valid UTF-8");
  }
  cursor.pos = end;
  return s;
}

function readUvarint(bytes: Uint8Array, cursor: { pos: number }): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 5; i++) {
    if (cursor.pos >= bytes.length) throw new LabelsDecodeError("truncated varint in label set");
    const b = bytes[cursor.pos++];
    result += (b & 0x7f) * scale;
    if (b < 0x80) return result;
    scale *= 128;
  }
  throw new LabelsDecodeError("varint longer than 32 bits in label set");
}
