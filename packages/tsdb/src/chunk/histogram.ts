import { BitReader, BitWriter } from "./bitstream";
import { ChunkEncoding, MAX_ABS_TIMESTAMP, MAX_SAMPLES_PER_CHUNK, type Chunk, type ChunkIterator } from "./chunk";
import { ChunkAppendError, ChunkDecodeError } from "./errors";
import { floatFromBits, isStaleNaN } from "./float-bits";
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
import {
  absoluteBuckets,
  countSpans,
  deltaBuckets,
  isCustomBucketsSchema,
  type FloatHistogram,
  type Histogram,
} from "./histogram-types";
import { putVarbitInt, putVarbitUint, readVarbitInt, readVarbitUint } from "./varbit";
import { XorValue } from "./xor-value";

/**
 * Prometheus's integer histogram chunk (`tsdb/chunkenc/histogram.go`), byte-compatible: 3-byte header (sample count,
 * counter-reset flags), the layout, then per sample `t`, `count`, `zero count` (first sample: varbit values; second:
 * deltas; then deltas of deltas), the sum XORed as in float chunks, and each bucket (itself a delta to the previous
 * bucket) the same way. A stale marker writes only t, counts and sum. A layout change starts a new chunk (see
 * histogram-appendable.ts).
 */
export class HistogramChunk implements Chunk {
  readonly encoding = ChunkEncoding.Histogram;
  private writer: BitWriter | null = null;
  private data: Uint8Array;

  constructor(bytes?: Uint8Array) {
    if (bytes === undefined) {
      this.writer = BitWriter.withHeader(3);
      this.data = new Uint8Array(0);
    } else {
      if (bytes.length < 3) throw new ChunkDecodeError(`histogram chunk of ${bytes.length} bytes has no header`);
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

  /** An appender continuing after the last sample (state rebuilt by decoding, as Prometheus does). */
  appender(): HistogramAppender {
    const current = this.bytes();
    if (((current[0] << 8) | current[1]) === 0) {
      const header = current[2];
      this.writer = BitWriter.withHeader(3);
      this.writer.setByte(2, header);
      return new HistogramAppender(this.writer, null);
    }
    const it = new HistogramIterator();
    it.reset(current);
    while (it.next());
    const error = it.err();
    if (error) throw error;
    this.writer = BitWriter.resume(current, it.bitPosition());
    return new HistogramAppender(this.writer, it);
  }

  iterator(reuse?: HistogramIterator): HistogramIterator {
    const it = reuse ?? new HistogramIterator();
    it.reset(this.bytes());
    return it;
  }
}

/** A new empty integer histogram chunk and its appender. */
export function newHistogramChunk(): { chunk: HistogramChunk; appender: HistogramAppender } {
  const chunk = new HistogramChunk();
  return { chunk, appender: chunk.appender() };
}

const EMPTY_LAYOUT: HistogramLayout = {
  schema: 0,
  zeroThreshold: 0,
  positiveSpans: [],
  negativeSpans: [],
  customValues: [],
};

export class HistogramAppender {
  private num = 0;
  private layoutValue: HistogramLayout = EMPTY_LAYOUT;
  private t = 0;
  private tDelta = 0;
  private cnt = 0;
  private zCnt = 0;
  private cntDelta = 0;
  private zCntDelta = 0;
  private pBuckets: number[] = [];
  private nBuckets: number[] = [];
  private pBucketsDelta: number[] = [];
  private nBucketsDelta: number[] = [];
  private readonly sum = new XorValue();

  /** @internal Use {@link newHistogramChunk} or {@link HistogramChunk.appender}. */
  constructor(
    private readonly b: BitWriter,
    resumeFrom: HistogramIterator | null,
  ) {
    if (resumeFrom !== null) resumeFrom.exportState(this);
  }

  /** @internal Called by the iterator to hand over its state when resuming. */
  importState(s: {
    num: number;
    layout: HistogramLayout;
    t: number;
    tDelta: number;
    cnt: number;
    zCnt: number;
    cntDelta: number;
    zCntDelta: number;
    pBuckets: number[];
    nBuckets: number[];
    pBucketsDelta: number[];
    nBucketsDelta: number[];
    sum: XorValue;
  }): void {
    this.num = s.num;
    this.layoutValue = s.layout;
    this.t = s.t;
    this.tDelta = s.tDelta;
    this.cnt = s.cnt;
    this.zCnt = s.zCnt;
    this.cntDelta = s.cntDelta;
    this.zCntDelta = s.zCntDelta;
    this.pBuckets = s.pBuckets.slice();
    this.nBuckets = s.nBuckets.slice();
    this.pBucketsDelta = s.pBucketsDelta.slice();
    this.nBucketsDelta = s.nBucketsDelta.slice();
    Object.assign(this.sum, { hi: s.sum.hi, lo: s.sum.lo, leading: s.sum.leading, trailing: s.sum.trailing });
  }

  get numSamples(): number {
    return this.num;
  }

  /** The layout the chunk's first sample fixed. */
  get layout(): HistogramLayout {
    return this.layoutValue;
  }

  private header(): number {
    return this.b.view()[2] & COUNTER_RESET_HEADER_MASK;
  }

  /** Whether `h` fits this chunk; when not, whether the new chunk starts with a counter reset. */
  appendable(h: Histogram): AppendCheck {
    return checkHistogramAppendable(
      {
        numSamples: this.num,
        header: this.header(),
        lastStale: this.sum.isStale(),
        ...this.layoutValue,
        count: this.cnt,
        zeroCount: this.zCnt,
        positiveAbsolute: absoluteBuckets(this.pBuckets),
        negativeAbsolute: absoluteBuckets(this.nBuckets),
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
        positiveAbsolute: absoluteBuckets(h.positiveBuckets),
        negativeAbsolute: absoluteBuckets(h.negativeBuckets),
      },
    );
  }

  /**
   * Appends `h` at `t`. Throws {@link ChunkAppendError} when it does not fit (check {@link appendable} first, or use
   * {@link appendHistogramSample}). The first sample sets the counter-reset header from a gauge hint.
   */
  append(t: number, h: Histogram): void {
    const check = this.appendable(h);
    if (!check.ok) throw new ChunkAppendError(`histogram does not fit the chunk: ${check.reason}`);
    this.appendChecked(t, h);
  }

  /** @internal Appends after {@link appendable} said yes (the append helpers check once, not twice). */
  appendChecked(t: number, h: Histogram): void {
    checkTimestamp(t);
    if (this.num >= MAX_SAMPLES_PER_CHUNK) throw new ChunkAppendError("histogram chunk is full (65535 samples)");
    const stale = isStaleNaN(h.sum);
    if (!stale) validateHistogram(h);
    const b = this.b;
    const pos = stale ? [] : h.positiveBuckets;
    const neg = stale ? [] : h.negativeBuckets;
    const count = stale ? 0 : h.count;
    const zeroCount = stale ? 0 : h.zeroCount;
    let tDelta = 0;
    let cntDelta = 0;
    let zCntDelta = 0;
    if (this.num === 0) {
      if (h.counterResetHint === "gauge")
        b.setByte(2, (b.view()[2] & ~COUNTER_RESET_HEADER_MASK) | CounterResetHeader.Gauge);
      this.layoutValue = stale
        ? EMPTY_LAYOUT
        : {
            schema: h.schema,
            zeroThreshold: h.zeroThreshold,
            positiveSpans: h.positiveSpans.map((s) => ({ ...s })),
            negativeSpans: h.negativeSpans.map((s) => ({ ...s })),
            customValues: isCustomBucketsSchema(h.schema) ? (h.customValues ?? []).slice() : [],
          };
      writeHistogramLayout(b, this.layoutValue);
      this.pBuckets = new Array<number>(pos.length).fill(0);
      this.nBuckets = new Array<number>(neg.length).fill(0);
      this.pBucketsDelta = new Array<number>(pos.length).fill(0);
      this.nBucketsDelta = new Array<number>(neg.length).fill(0);
      putVarbitInt(b, t);
      putVarbitUint(b, count);
      putVarbitUint(b, zeroCount);
      this.sum.setRaw(h.sum);
      b.writeBits64(this.sum.hi, this.sum.lo, 64);
      for (const v of pos) putVarbitInt(b, v);
      for (const v of neg) putVarbitInt(b, v);
    } else {
      tDelta = t - this.t;
      cntDelta = count - this.cnt;
      zCntDelta = zeroCount - this.zCnt;
      const stalePart = stale ? 0 : 1;
      putVarbitInt(b, tDelta - this.tDelta);
      putVarbitInt(b, (cntDelta - this.cntDelta) * stalePart);
      putVarbitInt(b, (zCntDelta - this.zCntDelta) * stalePart);
      this.sum.write(b, h.sum);
      for (let i = 0; i < pos.length; i++) {
        const delta = pos[i] - this.pBuckets[i];
        putVarbitInt(b, delta - this.pBucketsDelta[i]);
        this.pBucketsDelta[i] = delta;
      }
      for (let i = 0; i < neg.length; i++) {
        const delta = neg[i] - this.nBuckets[i];
        putVarbitInt(b, delta - this.nBucketsDelta[i]);
        this.nBucketsDelta[i] = delta;
      }
    }
    this.num++;
    b.setByte(0, this.num >>> 8);
    b.setByte(1, this.num & 0xff);
    this.t = t;
    this.cnt = count;
    this.zCnt = zeroCount;
    this.tDelta = tDelta;
    this.cntDelta = cntDelta;
    this.zCntDelta = zCntDelta;
    for (let i = 0; i < pos.length; i++) this.pBuckets[i] = pos[i];
    for (let i = 0; i < neg.length; i++) this.nBuckets[i] = neg[i];
  }
}

export function checkTimestamp(t: number): void {
  if (!Number.isInteger(t) || Math.abs(t) > MAX_ABS_TIMESTAMP) {
    throw new ChunkAppendError(`timestamp ${t} is not an integer within ±2^51 ms`);
  }
}

function validateHistogram(h: Histogram): void {
  for (const [name, v] of [
    ["count", h.count],
    ["zero count", h.zeroCount],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new ChunkAppendError(`histogram ${name} ${v} is not a count`);
  }
  if (
    countSpans(h.positiveSpans) !== h.positiveBuckets.length ||
    countSpans(h.negativeSpans) !== h.negativeBuckets.length
  ) {
    throw new ChunkAppendError("histogram spans and buckets disagree on the number of buckets");
  }
  for (const buckets of [h.positiveBuckets, h.negativeBuckets]) {
    for (let i = 0; i < buckets.length; i++) {
      if (!Number.isSafeInteger(buckets[i]))
        throw new ChunkAppendError(`histogram bucket delta ${buckets[i]} is not an integer`);
    }
  }
}

/**
 * Appends to the open chunk as Prometheus's `AppendHistogram` does. A sample with a different bucket layout widens
 * the chunk's layout: the chunk is re-coded with zero counts in the new buckets (`recoded`: the caller replaces the
 * stored open chunk) and the sample gets zeros for buckets it lacks. A counter reset, a schema, zero-threshold or
 * custom-bounds change, or a gauge/counter switch starts a new chunk (`cut`), with the counter-reset header
 * Prometheus gives it. `open` null starts the first chunk.
 */
export function appendHistogramSample(
  open: { chunk: HistogramChunk; appender: HistogramAppender } | null,
  t: number,
  h: Histogram,
): { chunk: HistogramChunk; appender: HistogramAppender; cut: boolean; recoded: boolean } {
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
      const widened = widenHistogram(h, pos, neg);
      if (!pos.grows && !neg.grows) {
        open.appender.append(t, widened);
        return { ...open, cut: false, recoded: false };
      }
      const recoded = recodeHistogramChunk(open.chunk, pos, neg);
      recoded.appender.append(t, widened);
      return { ...recoded, cut: false, recoded: true };
    }
    const next = newHistogramChunk();
    if (h.counterResetHint !== "gauge") {
      next.chunk.setCounterResetHeader(
        check.counterReset ? CounterResetHeader.CounterReset : CounterResetHeader.NotCounterReset,
      );
    }
    next.appender.append(t, h);
    return { ...next, cut: true, recoded: false };
  }
  const first = newHistogramChunk();
  if (h.counterResetHint === "counterReset") first.chunk.setCounterResetHeader(CounterResetHeader.CounterReset);
  first.appender.append(t, h);
  return { ...first, cut: true, recoded: false };
}

function widenHistogram(h: Histogram, pos: LayoutUnion, neg: LayoutUnion): Histogram {
  return {
    ...h,
    positiveSpans: pos.spans,
    negativeSpans: neg.spans,
    positiveBuckets: deltaBuckets(expandAbsolute(absoluteBuckets(h.positiveBuckets), h.positiveSpans, pos.indexes)),
    negativeBuckets: deltaBuckets(expandAbsolute(absoluteBuckets(h.negativeBuckets), h.negativeSpans, neg.indexes)),
  };
}

/** The chunk's samples again, on the wider layout, in a new chunk with the same counter-reset header. */
function recodeHistogramChunk(
  chunk: HistogramChunk,
  pos: LayoutUnion,
  neg: LayoutUnion,
): { chunk: HistogramChunk; appender: HistogramAppender } {
  const next = newHistogramChunk();
  next.chunk.setCounterResetHeader(chunk.counterResetHeader());
  const it = chunk.iterator();
  while (it.next()) next.appender.append(it.t, widenHistogram(it.atHistogram(), pos, neg));
  const error = it.err();
  if (error) throw error;
  return next;
}

export class HistogramIterator implements ChunkIterator {
  private r = new BitReader(new Uint8Array(0));
  private numTotal = 0;
  private numRead = 0;
  private header = 0;
  private layout: HistogramLayout = EMPTY_LAYOUT;
  private tValue = 0;
  private tDelta = 0;
  private cnt = 0;
  private zCnt = 0;
  private cntDelta = 0;
  private zCntDelta = 0;
  private pBuckets: number[] = [];
  private nBuckets: number[] = [];
  private pBucketsDelta: number[] = [];
  private nBucketsDelta: number[] = [];
  private sum = new XorValue();
  private error: Error | null = null;

  reset(bytes: Uint8Array): void {
    this.error = null;
    this.numRead = 0;
    this.tValue = this.tDelta = this.cnt = this.zCnt = this.cntDelta = this.zCntDelta = 0;
    this.sum = new XorValue();
    if (bytes.length < 3) {
      this.numTotal = 0;
      this.error = new ChunkDecodeError(`histogram chunk of ${bytes.length} bytes has no header`);
      return;
    }
    this.numTotal = (bytes[0] << 8) | bytes[1];
    this.header = bytes[2] & COUNTER_RESET_HEADER_MASK;
    this.r = new BitReader(bytes, 24);
  }

  /** @internal Bit position after the samples read so far (for resuming an appender). */
  bitPosition(): number {
    return this.r.position;
  }

  /** @internal Hands the decoder state to an appender that continues the chunk. */
  exportState(appender: HistogramAppender): void {
    appender.importState({
      num: this.numRead,
      layout: this.layout,
      t: this.tValue,
      tDelta: this.tDelta,
      cnt: this.cnt,
      zCnt: this.zCnt,
      cntDelta: this.cntDelta,
      zCntDelta: this.zCntDelta,
      pBuckets: this.pBuckets,
      nBuckets: this.nBuckets,
      pBucketsDelta: this.pBucketsDelta,
      nBucketsDelta: this.nBucketsDelta,
      sum: this.sum,
    });
  }

  next(): boolean {
    if (this.error !== null || this.numRead >= this.numTotal) return false;
    try {
      this.readSample();
      this.numRead++;
      return true;
    } catch (err) {
      this.error = err instanceof ChunkDecodeError ? err : new ChunkDecodeError(String(err));
      return false;
    }
  }

  private readSample(): void {
    const r = this.r;
    if (this.numRead === 0) {
      this.layout = readHistogramLayout(r);
      const np = countSpans(this.layout.positiveSpans);
      const nn = countSpans(this.layout.negativeSpans);
      // Every bucket takes at least one bit per sample: a larger count means corrupt spans (and no huge allocation).
      if (np + nn > r.remaining) throw new ChunkDecodeError(`histogram chunk claims ${np + nn} buckets`);
      this.tValue = readVarbitInt(r);
      this.cnt = readVarbitUint(r);
      this.zCnt = readVarbitUint(r);
      this.sum.readRaw(r);
      this.pBuckets = new Array<number>(np);
      this.nBuckets = new Array<number>(nn);
      for (let i = 0; i < np; i++) this.pBuckets[i] = readVarbitInt(r);
      for (let i = 0; i < nn; i++) this.nBuckets[i] = readVarbitInt(r);
      this.pBucketsDelta = new Array<number>(np).fill(0);
      this.nBucketsDelta = new Array<number>(nn).fill(0);
      return;
    }
    this.tDelta += readVarbitInt(r);
    this.tValue += this.tDelta;
    this.cntDelta += readVarbitInt(r);
    this.cnt += this.cntDelta;
    this.zCntDelta += readVarbitInt(r);
    this.zCnt += this.zCntDelta;
    this.sum.read(r);
    if (this.sum.isStale()) return;
    for (let i = 0; i < this.pBuckets.length; i++) {
      this.pBucketsDelta[i] += readVarbitInt(r);
      this.pBuckets[i] += this.pBucketsDelta[i];
    }
    for (let i = 0; i < this.nBuckets.length; i++) {
      this.nBucketsDelta[i] += readVarbitInt(r);
      this.nBuckets[i] += this.nBucketsDelta[i];
    }
  }

  seek(t: number): boolean {
    if (this.error !== null) return false;
    while (this.numRead === 0 || this.tValue < t) {
      if (!this.next()) return false;
    }
    return true;
  }

  get t(): number {
    return this.tValue;
  }

  /** The current sample (a fresh object). A stale marker comes back as `{ sum: stale NaN }` with empty fields. */
  atHistogram(): Histogram {
    const sum = floatFromBits(this.sum.hi, this.sum.lo);
    if (this.sum.isStale()) return staleHistogram(sum);
    const h: Histogram = {
      counterResetHint: counterResetHintAt(this.header, this.numRead),
      schema: this.layout.schema,
      zeroThreshold: this.layout.zeroThreshold,
      zeroCount: this.zCnt,
      count: this.cnt,
      sum,
      positiveSpans: this.layout.positiveSpans.map((s) => ({ ...s })),
      negativeSpans: this.layout.negativeSpans.map((s) => ({ ...s })),
      positiveBuckets: this.pBuckets.slice(),
      negativeBuckets: this.nBuckets.slice(),
    };
    if (isCustomBucketsSchema(this.layout.schema)) h.customValues = this.layout.customValues.slice();
    return h;
  }

  atFloatHistogram(): FloatHistogram {
    const h = this.atHistogram();
    const out: FloatHistogram = {
      ...h,
      positiveBuckets: absoluteBuckets(h.positiveBuckets),
      negativeBuckets: absoluteBuckets(h.negativeBuckets),
    };
    return out;
  }

  err(): Error | null {
    return this.error;
  }
}

function staleHistogram(sum: number): Histogram {
  return {
    counterResetHint: "unknown",
    schema: 0,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 0,
    sum,
    positiveSpans: [],
    negativeSpans: [],
    positiveBuckets: [],
    negativeBuckets: [],
  };
}
