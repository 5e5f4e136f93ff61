import { ByteWriter } from "./byte-writer";
import { crc32c } from "@edgeprom/wire";
import { InvalidBlockInputError } from "./errors";
import { INDEX_FORMAT_V2, INDEX_MAGIC, SERIES_ALIGNMENT, type IndexToc } from "./index-format";
import { compareLabelSets, compareUtf8, type LabelSet } from "./labels";

/** A chunk as the index sees it: its time range and where its record starts in the segment files. */
export interface IndexChunkMeta {
  readonly mint: number;
  readonly maxt: number;
  readonly ref: number;
}

export interface IndexSeries {
  readonly labels: LabelSet;
  readonly chunks: readonly IndexChunkMeta[];
}

export interface WrittenIndex {
  readonly bytes: Uint8Array;
  readonly toc: IndexToc;
  /** Series references (offset / 16) in input order. */
  readonly seriesRefs: readonly number[];
}

/**
 * Writes an index file in Prometheus's format v2, laid out section by section as Prometheus 2.x's index writer
 * does (same symbol set, padding and section order), so the same series and chunk references give the same bytes.
 *
 * `series` must be sorted by label set (Prometheus's `labels.Compare`) with no duplicates; each series' chunks
 * sorted by time, not overlapping, with increasing references.
 */
export function writeIndex(series: readonly IndexSeries[]): WrittenIndex {
  validate(series);

  // The symbol table holds every name and value, plus the empty string: Prometheus's head adds it through its
  // all-postings key ("", ""), and we keep it for identical bytes.
  const symbolSet = new Set<string>([""]);
  for (const s of series) {
    for (const l of s.labels) {
      symbolSet.add(l.name);
      symbolSet.add(l.value);
    }
  }
  const symbols = [...symbolSet].sort(compareUtf8);
  const symbolIndex = new Map<string, number>();
  symbols.forEach((s, i) => symbolIndex.set(s, i));

  const w = new ByteWriter(1 << 16);
  w.be32(INDEX_MAGIC);
  w.byte(INDEX_FORMAT_V2);

  // Symbol table: len, count, strings, CRC over count + strings.
  const symbolsStart = w.length;
  w.be32(0);
  w.be32(symbols.length);
  for (const s of symbols) w.uvarintString(s);
  finishSection(w, symbolsStart);

  // Series, each 16-byte aligned: uvarint len, labels as symbol references, chunk metas, CRC.
  const seriesStart = w.length;
  const seriesRefs: number[] = [];
  const entry = new ByteWriter(256);
  for (const s of series) {
    w.padTo(SERIES_ALIGNMENT);
    seriesRefs.push(w.length / SERIES_ALIGNMENT);
    entry.reset();
    entry.uvarint(s.labels.length);
    for (const l of s.labels) {
      entry.uvarint(symbolIndex.get(l.name) as number);
      entry.uvarint(symbolIndex.get(l.value) as number);
    }
    entry.uvarint(s.chunks.length);
    let previousMaxTime = 0;
    let previousRef = 0;
    s.chunks.forEach((c, i) => {
      if (i === 0) entry.varint(c.mint);
      else entry.uvarint(c.mint - previousMaxTime);
      entry.uvarint(c.maxt - c.mint);
      if (i === 0) entry.uvarint(c.ref);
      else entry.varint(c.ref - previousRef);
      previousMaxTime = c.maxt;
      previousRef = c.ref;
    });
    const content = entry.bytes();
    w.uvarint(content.length);
    w.raw(content);
    w.be32(crc32c(content));
  }

  // Postings per label pair, built from the series refs: name → value → refs (ascending because series are).
  const postings = new Map<string, Map<string, number[]>>();
  series.forEach((s, i) => {
    for (const l of s.labels) {
      let values = postings.get(l.name);
      if (values === undefined) postings.set(l.name, (values = new Map()));
      const refs = values.get(l.value);
      if (refs === undefined) values.set(l.value, [seriesRefs[i]]);
      else refs.push(seriesRefs[i]);
    }
  });
  const names = [...postings.keys()].sort(compareUtf8);
  const sortedValues = new Map<string, string[]>();
  for (const name of names)
    sortedValues.set(name, [...(postings.get(name) as Map<string, number[]>).keys()].sort(compareUtf8));

  // Label indices (one per name, values as symbol references). No current reader needs them; Prometheus 2.x still
  // writes them and so do we.
  const labelIndicesStart = w.length;
  const labelIndexOffsets: number[] = [];
  for (const name of names) {
    w.padTo(4);
    const start = w.length;
    labelIndexOffsets.push(start);
    const values = sortedValues.get(name) as string[];
    w.be32(0);
    w.be32(1);
    w.be32(values.length);
    for (const v of values) w.be32(symbolIndex.get(v) as number);
    finishSection(w, start);
  }

  // Postings lists: all series under ("", "") first, then each pair in name, value order.
  const postingsStart = w.length;
  w.padTo(4);
  const postingsOffsets: { name: string; value: string; offset: number }[] = [];
  const writePostings = (name: string, value: string, refs: readonly number[]): void => {
    w.padTo(4);
    const start = w.length;
    postingsOffsets.push({ name, value, offset: start });
    w.be32(0);
    w.be32(refs.length);
    for (const ref of refs) w.be32(ref);
    finishSection(w, start);
  };
  writePostings("", "", seriesRefs);
  for (const name of names) {
    const values = postings.get(name) as Map<string, number[]>;
    for (const value of sortedValues.get(name) as string[]) writePostings(name, value, values.get(value) as number[]);
  }

  // Label offset table: name → label index offset.
  const labelIndicesTableStart = w.length;
  w.be32(0);
  w.be32(names.length);
  names.forEach((name, i) => {
    w.uvarint(1);
    w.uvarintString(name);
    w.uvarint(labelIndexOffsets[i]);
  });
  finishSection(w, labelIndicesTableStart);

  // Postings offset table: (name, value) → postings list offset.
  const postingsTableStart = w.length;
  w.be32(0);
  w.be32(postingsOffsets.length);
  for (const p of postingsOffsets) {
    w.uvarint(2);
    w.uvarintString(p.name);
    w.uvarintString(p.value);
    w.uvarint(p.offset);
  }
  finishSection(w, postingsTableStart);

  const toc: IndexToc = {
    symbols: symbolsStart,
    series: seriesStart,
    labelIndices: labelIndicesStart,
    labelIndicesTable: labelIndicesTableStart,
    postings: postingsStart,
    postingsTable: postingsTableStart,
  };
  const tocStart = w.length;
  w.be64(toc.symbols);
  w.be64(toc.series);
  w.be64(toc.labelIndices);
  w.be64(toc.labelIndicesTable);
  w.be64(toc.postings);
  w.be64(toc.postingsTable);
  w.be32(crc32c(w.bytes(), tocStart, w.length));

  return { bytes: w.toUint8Array(), toc, seriesRefs };
}

/** Fills in a section's 4-byte length (everything after it) and appends the CRC-32C of those bytes. */
function finishSection(w: ByteWriter, start: number): void {
  const length = w.length - start - 4;
  w.setBe32(start, length);
  w.be32(crc32c(w.bytes(), start + 4, w.length));
}

function validate(series: readonly IndexSeries[]): void {
  let previousChunkRef = -1;
  series.forEach((s, i) => {
    if (i > 0 && compareLabelSets(series[i - 1].labels, s.labels) >= 0) {
      throw new InvalidBlockInputError(`series out of order or duplicated at ${i}: ${JSON.stringify(s.labels)}`);
    }
    for (let j = 1; j < s.labels.length; j++) {
      if (compareUtf8(s.labels[j - 1].name, s.labels[j].name) >= 0) {
        throw new InvalidBlockInputError(`label names not sorted and unique: ${JSON.stringify(s.labels)}`);
      }
    }
    s.chunks.forEach((c, j) => {
      if (c.maxt < c.mint) throw new InvalidBlockInputError(`chunk maxTime ${c.maxt} < minTime ${c.mint}`);
      if (j > 0 && c.mint <= s.chunks[j - 1].maxt) {
        throw new InvalidBlockInputError(
          `chunks overlap in ${JSON.stringify(s.labels)}: minTime ${c.mint} <= previous maxTime ${s.chunks[j - 1].maxt}`,
        );
      }
      if (c.ref <= previousChunkRef) throw new InvalidBlockInputError(`chunk references not increasing at ${c.ref}`);
      previousChunkRef = c.ref;
    });
  });
}
