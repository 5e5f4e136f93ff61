import { BitReader, BitWriter } from "./bitstream";
import { ChunkEncoding, MAX_SAMPLES_PER_CHUNK, type Chunk, type ChunkIterator } from "./chunk";
import { ChunkAppendError, ChunkDecodeError } from "./errors";
import { isStaleNaN } from "./float-bits";
import { checkTimestamp } from "./histogram";
import { checkHistogramAppendable, type AppendCheck } from "./histogram-appendable";
import {
  COUNTER_RESET_HEADER_MASK,
  CounterResetHeader,
  counterResetHintAt,
  readHistogramLayout,
  writeHistogramLayout,
  type HistogramLayout,
} from "./histogram-layout";
import { expandAbsolute, unionLayout, type LayoutUnion } from "./histogram-recode";
import { countSpans, isCustomBucketsSchema, type FloatHistogram } from "./histogram-types";
import { putVarbitInt, readVarbitInt } from "./varbit";
import { XorValue } from "./xor-value";

/**
 * Prometheus's float histogram chunk (`tsdb/chunkenc/float_histogram.go`), byte-compatible: the same header and
 * layout as integer histogram chunks; per sample the timestamp as varbit (then delta of delta), and count, zero
 * count, sum and every absolute bucket count as Gorilla-XORed floats, each field with its own leading/trailing
 * window. A stale marker writes only t, counts and sum. A layout change starts a new chunk.
 */
export class FloatHistogramChunk implements Chunk {
  readonly encoding = ChunkEncoding.FloatHistogram;
  private writer: BitWriter | null = null;
  private data: Uint8Array;

  constructor(bytes?: Uint8Array) {
    if (bytes === undefined) {
      this.writer = BitWriter.withHeader(3);
      this.data = new Uint8Array(0);
    } else {
      if (bytes.length < 3) throw new ChunkDecodeError(`float histogram chunk of ${bytes.length} bytes has no header`);
      this.data = bytes;
    }
  }

  numSamples(): number {
    const b = this.bytes();
    return (b[0] << 8) | b[1];
  }

  bytes(): Uint8Array {
    return this.writer !== null ? this.writer.view() : this.data;
  }

  /** `bytes().length` without creating a view (the cut rule asks on every append). */
  byteLength(): number {
    return this.writer !== null ? this.writer.byteLength : this.data.length;
  }

  counterResetHeader(): CounterResetHeader {
    return (this.bytes()[2] & COUNTER_RESET_HEADER_MASK) as CounterResetHeader;
  }

  setCounterResetHeader(header: CounterResetHeader): void {
    const b = this.bytes();
    b[2] = (b[2] & ~COUNTER_RESET_HEADER_MASK) | header;
  }

  appender(): FloatHistogramAppender {
    const current = this.bytes();
    if (((current[0] << 8) | current[1]) === 0) {
      const header = current[2];
      this.writer = BitWriter.withHeader(3);
      this.writer.setByte(2, header);
      return new FloatHistogramAppender(this.writer, null);
    }
    const it = new FloatHistogramIterator();
    it.reset(current);
    while (it.next());
    const error = it.err();
    if (error) throw error;
    this.writer = BitWriter.resume(current, it.bitPosition());
    return new FloatHistogramAppender(this.writer, it);
  }

  iterator(reuse?: FloatHistogramIterator): FloatHistogramIterator {
    const it = reuse ?? new FloatHistogramIterator();
    it.reset(this.bytes());
    return it;
  }
}

export function newFloatHistogramChunk(): { chunk: FloatHistogramChunk; appender: FloatHistogramAppender } {
  const chunk = new FloatHistogramChunk();
  return { chunk, appender: chunk.appender() };
}

const EMPTY_LAYOUT: HistogramLayout = {
  schema: 0,
  zeroThreshold: 0,
  positiveSpans: [],
  negativeSpans: [],
  customValues: [],
};

/** Field state shared by appender and iterator (so an appender can resume from where an iterator stopped). */
interface FloatHistogramFields {
  num: number;
  layout: HistogramLayout;
  t: number;
  tDelta: number;
  cnt: XorValue;
  zCnt: XorValue;
  sum: XorValue;
  pBuckets: XorValue[];
  nBuckets: XorValue[];
}

function cloneXor(v: XorValue): XorValue {
  const out = new XorValue();
  out.hi = v.hi;
  out.lo = v.lo;
  out.leading = v.leading;
  out.trailing = v.trailing;
  return out;
}

export class FloatHistogramAppender {
  private s: FloatHistogramFields = {
    num: 0,
    layout: EMPTY_LAYOUT,
    t: 0,
    tDelta: 0,
    cnt: new XorValue(),
    zCnt: new XorValue(),
    sum: new XorValue(),
    pBuckets: [],
    nBuckets: [],
  };

  /** @internal Use {@link newFloatHistogramChunk} or {@link FloatHistogramChunk.appender}. */
  constructor(
    private readonly b: BitWriter,
    resumeFrom: FloatHistogramIterator | null,
  ) {
    if (resumeFrom !== null) {
      const f = resumeFrom.fields();
      this.s = {
        ...f,
        cnt: cloneXor(f.cnt),
        zCnt: cloneXor(f.zCnt),
        sum: cloneXor(f.sum),
        pBuckets: f.pBuckets.map(cloneXor),
        nBuckets: f.nBuckets.map(cloneXor),
      };
    }
  }

  get numSamples(): number {
    return this.s.num;
  }

  /** The layout the chunk's first sample fixed. */
  get layout(): HistogramLayout {
    return this.s.layout;
  }

  appendable(h: FloatHistogram): AppendCheck {
    const s = this.s;
    return checkHistogramAppendable(
      {
        numSamples: s.num,
        header: this.b.view()[2] & COUNTER_RESET_HEADER_MASK,
        lastStale: s.sum.isStale(),
        ...s.layout,
        count: s.cnt.value,
        zeroCount: s.zCnt.value,
        positiveAbsolute: s.pBuckets.map((v) => v.value),
        negativeAbsolute: s.nBuckets.map((v) => v.value),
      },
      {
        counterResetHint: h.counterResetHint,
        stale: isStaleNaN(h.sum),
        schema: h.schema,
        zeroThreshold: h.zeroThreshold,
        customValues: h.customValues,
        positiveSpans: h.positiveSpans,
        negativeSpans: h.negativeSpans,
        count: h.count,
        zeroCount: h.zeroCount,
        positiveAbsolute: h.positiveBuckets,
        negativeAbsolute: h.negativeBuckets,
      },
    );
  }

  append(t: number, h: FloatHistogram): void {
    const check = this.appendable(h);
    if (!check.ok) throw new ChunkAppendError(`float histogram does not fit the chunk: ${check.reason}`);
    this.appendChecked(t, h);
  }

  /** @internal Appends after {@link appendable} said yes. */
  appendChecked(t: number, h: FloatHistogram): void {
    checkTimestamp(t);
    const s = this.s;
    if (s.num >= MAX_SAMPLES_PER_CHUNK) throw new ChunkAppendError("float histogram chunk is full (65535 samples)");
    const stale = isStaleNaN(h.sum);
    if (
      !stale &&
      (countSpans(h.positiveSpans) !== h.positiveBuckets.length ||
        countSpans(h.negativeSpans) !== h.negativeBuckets.length)
    ) {
      throw new ChunkAppendError("histogram spans and buckets disagree on the number of buckets");
    }
    const b = this.b;
    const pos = stale ? [] : h.positiveBuckets;
    const neg = stale ? [] : h.negativeBuckets;
    const count = stale ? 0 : h.count;
    const zeroCount = stale ? 0 : h.zeroCount;
    let tDelta = 0;
    if (s.num === 0) {
      if (h.counterResetHint === "gauge")
        b.setByte(2, (b.view()[2] & ~COUNTER_RESET_HEADER_MASK) | CounterResetHeader.Gauge);
      s.layout = stale
        ? EMPTY_LAYOUT
        : {
            schema: h.schema,
            zeroThreshold: h.zeroThreshold,
            positiveSpans: h.positiveSpans.map((x) => ({ ...x })),
            negativeSpans: h.negativeSpans.map((x) => ({ ...x })),
            customValues: isCustomBucketsSchema(h.schema) ? (h.customValues ?? []).slice() : [],
          };
      writeHistogramLayout(b, s.layout);
      putVarbitInt(b, t);
      for (const [field, v] of [
        [s.cnt, count],
        [s.zCnt, zeroCount],
        [s.sum, h.sum],
      ] as const) {
        field.setRaw(v);
        b.writeBits64(field.hi, field.lo, 64);
      }
      s.pBuckets = pos.map(() => new XorValue());
      s.nBuckets = neg.map(() => new XorValue());
      pos.forEach((v, i) => {
        s.pBuckets[i].setRaw(v);
        b.writeBits64(s.pBuckets[i].hi, s.pBuckets[i].lo, 64);
      });
      neg.forEach((v, i) => {
        s.nBuckets[i].setRaw(v);
        b.writeBits64(s.nBuckets[i].hi, s.nBuckets[i].lo, 64);
      });
    } else {
      tDelta = t - s.t;
      putVarbitInt(b, tDelta - s.tDelta);
      s.cnt.write(b, count);
      s.zCnt.write(b, zeroCount);
      s.sum.write(b, h.sum);
      for (let i = 0; i < pos.length; i++) s.pBuckets[i].write(b, pos[i]);
      for (let i = 0; i < neg.length; i++) s.nBuckets[i].write(b, neg[i]);
    }
    s.num++;
    b.setByte(0, s.num >>> 8);
    b.setByte(1, s.num & 0xff);
    s.t = t;
    s.tDelta = tDelta;
  }
}

/** Appends to the open chunk, widening its layout or starting a new one (see {@link appendHistogramSample}). */
export function appendFloatHistogramSample(
  open: { chunk: FloatHistogramChunk; appender: FloatHistogramAppender } | null,
  t: number,
  h: FloatHistogram,
): { chunk: FloatHistogramChunk; appender: FloatHistogramAppender; cut: boolean; recoded: boolean } {
  if (open !== null) {
    const check = open.appender.appendable(h);
    if (check.ok) {
      open.appender.appendChecked(t, h);
      return { ...open, cut: false, recoded: false };
    }
    if (check.layoutChange) {
      const layout = open.appender.layout;
      const pos = unionLayout(layout.positiveSpans, h.positiveSpans);
      const neg = unionLayout(layout.negativeSpans, h.negativeSpans);
      const widened = widenFloatHistogram(h, pos, neg);
      if (!pos.grows && !neg.grows) {
        open.appender.append(t, widened);
        return { ...open, cut: false, recoded: false };
      }
      const next = newFloatHistogramChunk();
      next.chunk.setCounterResetHeader(open.chunk.counterResetHeader());
      const it = open.chunk.iterator();
      while (it.next()) next.appender.append(it.t, widenFloatHistogram(it.atFloatHistogram(), pos, neg));
      const error = it.err();
      if (error) throw error;
      next.appender.append(t, widened);
      return { ...next, cut: false, recoded: true };
    }
    const next = newFloatHistogramChunk();
    if (h.counterResetHint !== "gauge") {
      next.chunk.setCounterResetHeader(
        check.counterReset ? CounterResetHeader.CounterReset : CounterResetHeader.NotCounterReset,
      );
    }
    next.appender.append(t, h);
    return { ...next, cut: true, recoded: false };
  }
  const first = newFloatHistogramChunk();
  if (h.counterResetHint === "counterReset") first.chunk.setCounterResetHeader(CounterResetHeader.CounterReset);
  first.appender.append(t, h);
  return { ...first, cut: true, recoded: false };
}

function widenFloatHistogram(h: FloatHistogram, pos: LayoutUnion, neg: LayoutUnion): FloatHistogram {
  return {
    ...h,
    positiveSpans: pos.spans,
    negativeSpans: neg.spans,
    positiveBuckets: expandAbsolute(h.positiveBuckets, h.positiveSpans, pos.indexes),
    negativeBuckets: expandAbsolute(h.negativeBuckets, h.negativeSpans, neg.indexes),
  };
}

export class FloatHistogramIterator implements ChunkIterator {
  private r = new BitReader(new Uint8Array(0));
  private numTotal = 0;
  private header = 0;
  private s: FloatHistogramFields = newFields();
  private error: Error | null = null;

  reset(bytes: Uint8Array): void {
    this.error = null;
    this.s = newFields();
    if (bytes.length < 3) {
      this.numTotal = 0;
      this.error = new ChunkDecodeError(`float histogram chunk of ${bytes.length} bytes has no header`);
      return;
    }
    this.numTotal = (bytes[0] << 8) | bytes[1];
    this.header = bytes[2] & COUNTER_RESET_HEADER_MASK;
    this.r = new BitReader(bytes, 24);
  }

  /** @internal */
  bitPosition(): number {
    return this.r.position;
  }

  /** @internal */
  fields(): FloatHistogramFields {
    return this.s;
  }

  next(): boolean {
    if (this.error !== null || this.s.num >= this.numTotal) return false;
    try {
      this.readSample();
      this.s.num++;
      return true;
    } catch (err) {
      this.error = err instanceof ChunkDecodeError ? err : new ChunkDecodeError(String(err));
      return false;
    }
  }

  private readSample(): void {
    const r = this.r;
    const s = this.s;
    if (s.num === 0) {
      s.layout = readHistogramLayout(r);
      const buckets = countSpans(s.layout.positiveSpans) + countSpans(s.layout.negativeSpans);
      if (buckets > r.remaining) throw new ChunkDecodeError(`float histogram chunk claims ${buckets} buckets`);
      s.t = readVarbitInt(r);
      s.cnt.readRaw(r);
      s.zCnt.readRaw(r);
      s.sum.readRaw(r);
      s.pBuckets = Array.from({ length: countSpans(s.layout.positiveSpans) }, () => new XorValue());
      s.nBuckets = Array.from({ length: countSpans(s.layout.negativeSpans) }, () => new XorValue());
      for (const v of s.pBuckets) v.readRaw(r);
      for (const v of s.nBuckets) v.readRaw(r);
      return;
    }
    s.tDelta += readVarbitInt(r);
    s.t += s.tDelta;
    s.cnt.read(r);
    s.zCnt.read(r);
    s.sum.read(r);
    if (s.sum.isStale()) return;
    for (const v of s.pBuckets) v.read(r);
    for (const v of s.nBuckets) v.read(r);
  }

  seek(t: number): boolean {
    if (this.error !== null) return false;
    while (this.s.num === 0 || this.s.t < t) {
      if (!this.next()) return false;
    }
    return true;
  }

  get t(): number {
    return this.s.t;
  }

  atFloatHistogram(): FloatHistogram {
    const s = this.s;
    if (s.sum.isStale()) {
      return {
        counterResetHint: "unknown",
        schema: 0,
        zeroThreshold: 0,
        zeroCount: 0,
        count: 0,
        sum: s.sum.value,
        positiveSpans: [],
        negativeSpans: [],
        positiveBuckets: [],
        negativeBuckets: [],
      };
    }
    const h: FloatHistogram = {
      counterResetHint: counterResetHintAt(this.header, s.num),
      schema: s.layout.schema,
      zeroThreshold: s.layout.zeroThreshold,
      zeroCount: s.zCnt.value,
      count: s.cnt.value,
      sum: s.sum.value,
      positiveSpans: s.layout.positiveSpans.map((x) => ({ ...x })),
      negativeSpans: s.layout.negativeSpans.map((x) => ({ ...x })),
      positiveBuckets: s.pBuckets.map((v) => v.value),
      negativeBuckets: s.nBuckets.map((v) => v.value),
    };
    if (isCustomBucketsSchema(s.layout.schema)) h.customValues = s.layout.customValues.slice();
    return h;
  }

  err(): Error | null {
    return this.error;
  }
}

function newFields(): FloatHistogramFields {
  return {
    num: 0,
    layout: EMPTY_LAYOUT,
    t: 0,
    tDelta: 0,
    cnt: new XorValue(),
    zCnt: new XorValue(),
    sum: new XorValue(),
    pBuckets: [],
    nBuckets: [],
  };
}
