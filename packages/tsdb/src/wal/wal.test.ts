import { describe, expect, it } from "vitest";
import { labelsOf } from "../labels/label";
import {
  AppendBatchEncoder,
  batchSeriesLabels,
  decodeAppendBatch,
  encodeAppendBatch,
  seriesHashes,
  seriesHashOf,
  stringHash,
} from "./batch-codec";
import { CorruptRecordError } from "./byte-reader";
import { decodeNativeHistogram, encodeNativeHistogram, type NativeHistogram } from "./histogram-wire";
import { decodeWalRecord, encodeWalRecord, MAX_WAL_ROW_BYTES, readWalRecords, walRowsFor } from "./wal-rows";

const histogram: NativeHistogram = {
  isFloat: false,
  schema: -53,
  zeroThreshold: 0,
  zeroCount: 0,
  count: 7,
  sum: 3.25,
  positiveSpans: [{ offset: 0, length: 3 }],
  positiveBuckets: [1, 4, 2],
  negativeSpans: [],
  negativeBuckets: [],
  counterResetHint: "gauge",
  customValues: [0.1, 0.5, 1],
};

describe("append batch wire format", () => {
  it("round-trips labels (UTF-8 included), samples with negative deltas and histograms", () => {
    const bytes = encodeAppendBatch([
      {
        labels: labelsOf("__name__", "température", "city", "Zürich 🌧"),
        samples: [
          { t: 5000, v: -1.5 },
          { t: 4000, v: 2 },
        ],
      },
      { labels: labelsOf("__name__", "h"), histograms: [{ t: -10, h: histogram }] },
      { labels: labelsOf("__name__", "empty") },
    ]);
    const batch = decodeAppendBatch(bytes);
    expect(batch.seriesCount).toBe(3);
    expect(batchSeriesLabels(batch, 0)).toEqual(labelsOf("__name__", "température", "city", "Zürich 🌧"));
    expect([...batch.t]).toEqual([5000, 4000]);
    expect([...batch.v]).toEqual([-1.5, 2]);
    expect([...batch.histogramT]).toEqual([-10]);
    expect(decodeNativeHistogram(batch.histogramBytes[0])).toEqual(histogram);
    expect([...batch.sampleStart]).toEqual([0, 2, 2, 2]);
    // Series hashes from symbol hashes equal the hash of the label set.
    const hashes = seriesHashes(batch, Uint32Array.from(batch.symbols, stringHash));
    expect(hashes[0]).toBe(seriesHashOf(batchSeriesLabels(batch, 0)));
  });

  it("encodes columns exactly as the same series as objects, keeping NaN payloads", () => {
    const stale = new Float64Array(1);
    new Uint32Array(stale.buffer).set([2, 0x7ff00000]); // the stale marker 0x7ff0000000000002
    const t = Float64Array.from([100, 5000, 4000, 7000, 9000]);
    const v = Float64Array.from([0, -1.5, 2, stale[0], 3]);
    new Uint8Array(v.buffer).set(new Uint8Array(stale.buffer), 3 * 8);
    const columns = new AppendBatchEncoder(1);
    columns.addColumns(labelsOf("__name__", "a", "job", "x"), t, v, 1, 3);
    columns.addColumns(labelsOf("__name__", "b", "job", "x"), t, v, 3, 5, [{ t: 8000, h: histogram }]);
    columns.addColumns(labelsOf("__name__", "c"), t, v, 5, 5);
    const objects = encodeAppendBatch([
      {
        labels: labelsOf("__name__", "a", "job", "x"),
        samples: [
          { t: 5000, v: -1.5 },
          { t: 4000, v: 2 },
        ],
      },
      {
        labels: labelsOf("__name__", "b", "job", "x"),
        samples: [
          { t: 7000, v: stale[0] },
          { t: 9000, v: 3 },
        ],
        histograms: [{ t: 8000, h: histogram }],
      },
      { labels: labelsOf("__name__", "c") },
    ]);
    const encoded = columns.finish();
    expect(columns.seriesCount).toBe(3);
    expect([...encoded]).toEqual([...objects]);
    const batch = decodeAppendBatch(encoded);
    expect([...new Uint32Array(batch.v.buffer, batch.v.byteOffset + 16, 2)]).toEqual([2, 0x7ff00000]);
    expect([...batch.t]).toEqual([5000, 4000, 7000, 9000]);
  });

  it("rejects corrupt bytes with CorruptRecordError", () => {
    const bytes = encodeAppendBatch([{ labels: labelsOf("__name__", "up"), samples: [{ t: 1, v: 1 }] }]);
    expect(() => decodeAppendBatch(bytes.subarray(0, bytes.length - 3))).toThrow(CorruptRecordError);
    expect(() => decodeAppendBatch(new Uint8Array([...bytes, 0]))).toThrow(CorruptRecordError);
    expect(() => decodeAppendBatch(new Uint8Array([1, 2, 3, 4]))).toThrow(CorruptRecordError);
    // One symbol ("a"), one series whose label names symbol 5.
    const badSymbol = new Uint8Array([0x45, 0x50, 0x42, 0x01, 1, 1, 0x61, 1, 1, 5, 0, 0, 0]);
    expect(() => decodeAppendBatch(badSymbol)).toThrow(/symbol out of range/);
    expect(() => decodeNativeHistogram(encodeNativeHistogram(histogram).subarray(0, 20))).toThrow(CorruptRecordError);
  });
});

describe("WAL records and rows", () => {
  it("groups batches in one record", () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array(300).fill(7);
    expect(decodeWalRecord(encodeWalRecord([a, b]))).toEqual([a, b]);
  });

  it("splits a record over rows under the SQLite value limit and reassembles it", () => {
    const big = new Uint8Array(MAX_WAL_ROW_BYTES * 2 + 10).map((_, i) => i % 251);
    const small = new Uint8Array([9]);
    const rows = [...walRowsFor(big), ...walRowsFor(small)];
    expect(rows.map((r) => [r[0], r.length])).toEqual([
      [1, MAX_WAL_ROW_BYTES + 1],
      [1, MAX_WAL_ROW_BYTES + 1],
      [0, 11],
      [0, 2],
    ]);
    const records = [...readWalRecords(rows.map((record, seq) => ({ seq, record })))];
    expect(records.map((r) => [r.seq, r.rows])).toEqual([
      [2, 3],
      [3, 1],
    ]);
    expect(Buffer.from(records[0].record).equals(Buffer.from(big))).toBe(true);
    expect([...records[1].record]).toEqual([9]);
  });

  it("refuses a WAL that ends inside a record", () => {
    const rows = walRowsFor(new Uint8Array(MAX_WAL_ROW_BYTES + 5)).slice(0, 1);
    expect(() => [...readWalRecords(rows.map((record, seq) => ({ seq, record })))]).toThrow(CorruptRecordError);
  });
});
