import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../bench/seeded-random";
import type { ChunkIterator } from "./chunk";
import { floatFromBits, STALE_NAN } from "./float-bits";
import { FloatHistogramChunk, newFloatHistogramChunk } from "./float-histogram";
import { HistogramChunk, newHistogramChunk } from "./histogram";
import { CUSTOM_BUCKETS_SCHEMA, countSpans, type FloatHistogram, type Histogram, type Span } from "./histogram-types";
import { decodeXorChunk, newXorChunk, XorChunk } from "./xor";

// One contract, every encoding (after Prometheus's `testChunk`): any sequence of samples round-trips bit for bit,
// resuming an appender on stored bytes continues with identical bytes, seek finds the first sample at or after t,
// and damaged bytes end iteration with an error instead of throwing or looping.

interface Encoding<S> {
  name: string;
  samples(rng: SeededRandom, n: number): S[];
  encode(timestamps: number[], samples: S[]): Uint8Array;
  /** Appends the rest of the samples to a chunk rebuilt from stored bytes. */
  resume(bytes: Uint8Array, timestamps: number[], samples: S[]): Uint8Array;
  iterator(bytes: Uint8Array): ChunkIterator & { current(): S };
  /** A canonical, bit-exact text form of a sample for comparison. */
  key(sample: S, index: number): string;
}

const bits = new Uint32Array(2);
const f64 = new Float64Array(bits.buffer);
/** IEEE 754 bits as text; a stale marker quieted by a JS array (see float-bits.ts) counts as the stale marker. */
function floatKey(v: number): string {
  f64[0] = v;
  const hi = bits[1] === 0x7ff80000 && bits[0] === 2 ? 0x7ff00000 : bits[1];
  return `${hi.toString(16)}:${bits[0].toString(16)}`;
}

function randomFloat(rng: SeededRandom, previous: number): number {
  switch (rng.int(0, 11)) {
    case 0:
      return previous; // unchanged
    case 1:
      return previous + rng.int(1, 1000); // counter
    case 2:
      return rng.pick([NaN, Infinity, -Infinity, -0, 0, STALE_NAN, floatFromBits(0x7ff80000, 1)]);
    case 3:
      return floatFromBits(rng.uint32() & 0x7fefffff, rng.uint32()); // any finite positive pattern
    case 4:
      return floatFromBits(rng.uint32() | 0x80000000, rng.uint32()) || -1; // negative (or NaN with sign)
    case 5:
      return Math.round(rng.next() * 1e6) / 100; // two decimals
    case 6:
      return rng.int(0, 2 ** 20) * 4096;
    case 7:
      return Number.MIN_VALUE * rng.int(1, 100); // subnormal
    case 8:
      return Number.MAX_VALUE / rng.int(1, 100);
    case 9:
      return 0; // counter reset
    default:
      return previous + rng.normal();
  }
}

/** Timestamps with every delta-of-delta bucket: regular, jittered, 0, negative, huge gaps both ways. */
function randomTimestamps(rng: SeededRandom, n: number): number[] {
  const out: number[] = [];
  let t = rng.pick([0, 1_700_000_000_000, -1_000_000_000, 2 ** 50]);
  for (let i = 0; i < n; i++) {
    out.push(t);
    const kind = rng.int(0, 9);
    let step = 15_000;
    if (kind === 1) step += rng.int(-3, 3);
    else if (kind === 2) step = rng.int(-10_000, 200_000);
    else if (kind === 3) step = rng.int(0, 2 ** 30) * rng.pick([1, -1]);
    else if (kind === 4) step = rng.int(0, 2 ** 45) * rng.pick([1, -1]);
    else if (kind === 5) step = 0;
    t += step;
    if (Math.abs(t) > 2 ** 50) t = Math.sign(t) * rng.int(0, 2 ** 40);
  }
  return out;
}

const xor: Encoding<number> = {
  name: "XOR",
  samples(rng, n) {
    const out: number[] = [];
    let v = rng.next() * 100;
    for (let i = 0; i < n; i++) out.push((v = randomFloat(rng, v)));
    return out;
  },
  encode(ts, vs) {
    const { chunk, appender } = newXorChunk();
    ts.forEach((t, i) => appender.append(t, vs[i]));
    return chunk.bytes().slice();
  },
  resume(bytes, ts, vs) {
    const chunk = new XorChunk(bytes.slice());
    const appender = chunk.appender();
    ts.forEach((t, i) => appender.append(t, vs[i]));
    return chunk.bytes().slice();
  },
  iterator(bytes) {
    const it = new XorChunk(bytes).iterator();
    return Object.assign(it, { current: () => it.v });
  },
  key: (v) => floatKey(v),
};

function randomSpans(rng: SeededRandom): Span[] {
  const spans: Span[] = [];
  const n = rng.int(0, 4);
  for (let i = 0; i < n; i++) spans.push({ offset: i === 0 ? rng.int(-10, 10) : rng.int(0, 5), length: rng.int(0, 5) });
  return spans;
}

interface HistogramShape {
  schema: number;
  zeroThreshold: number;
  positiveSpans: Span[];
  negativeSpans: Span[];
  customValues?: number[];
  gauge: boolean;
}

function randomShape(rng: SeededRandom): HistogramShape {
  const custom = rng.chance(0.2);
  const shape: HistogramShape = {
    schema: custom ? CUSTOM_BUCKETS_SCHEMA : rng.int(-4, 8),
    zeroThreshold: rng.pick([0, 2 ** -128, 0.001, 2 ** 10, 2 ** -243, 3.5e-300]),
    positiveSpans: randomSpans(rng),
    negativeSpans: custom ? [] : randomSpans(rng),
    gauge: rng.chance(0.5),
  };
  if (custom) {
    const bounds = [0.005, 0.1, 1.5, 33554.43, 33554.431, 1 / 3, 1e9];
    shape.customValues = bounds.slice(0, rng.int(1, bounds.length)).sort((a, b) => a - b);
  }
  return shape;
}

const histogram: Encoding<Histogram> = {
  name: "histogram",
  samples(rng, n) {
    const shape = randomShape(rng);
    const np = countSpans(shape.positiveSpans);
    const nn = countSpans(shape.negativeSpans);
    let count = rng.int(0, 2 ** 40);
    let zero = rng.int(0, 1000);
    const pos = Array.from({ length: np }, () => rng.int(0, 1000));
    const neg = Array.from({ length: nn }, () => rng.int(0, 1000));
    let sum = rng.next() * 1000;
    const out: Histogram[] = [];
    const staleFrom = rng.chance(0.3) ? rng.int(1, n) : n;
    for (let i = 0; i < n; i++) {
      if (shape.gauge) {
        count = rng.int(0, 2 ** 45);
        zero = rng.int(0, 2 ** 20);
        for (let j = 0; j < np; j++) pos[j] = rng.int(0, 2 ** 30);
        for (let j = 0; j < nn; j++) neg[j] = rng.int(0, 2 ** 30);
        sum = randomFloat(rng, sum);
        if (floatKey(sum) === floatKey(STALE_NAN)) sum = -1.5; // stale markers only at the end (below)
      } else {
        count += rng.int(0, 5000);
        zero += rng.int(0, 10);
        for (let j = 0; j < np; j++) pos[j] += rng.chance(0.5) ? rng.int(0, 100) : 0;
        for (let j = 0; j < nn; j++) neg[j] += rng.chance(0.5) ? rng.int(0, 100) : 0;
        sum += rng.next() * 100;
      }
      const h: Histogram = {
        counterResetHint: shape.gauge ? "gauge" : i === 0 ? "unknown" : "notCounterReset",
        schema: shape.schema,
        zeroThreshold: shape.zeroThreshold,
        zeroCount: zero,
        count,
        sum: i >= staleFrom ? STALE_NAN : sum,
        positiveSpans: shape.positiveSpans,
        negativeSpans: shape.negativeSpans,
        positiveBuckets: deltas(pos),
        negativeBuckets: deltas(neg),
      };
      if (shape.customValues) h.customValues = shape.customValues;
      out.push(h);
    }
    return out;
  },
  encode(ts, hs) {
    const { chunk, appender } = newHistogramChunk();
    ts.forEach((t, i) => appender.append(t, hs[i]));
    return chunk.bytes().slice();
  },
  resume(bytes, ts, hs) {
    const chunk = new HistogramChunk(bytes.slice());
    const appender = chunk.appender();
    ts.forEach((t, i) => appender.append(t, hs[i]));
    return chunk.bytes().slice();
  },
  iterator(bytes) {
    const it = new HistogramChunk(bytes).iterator();
    return Object.assign(it, { current: () => it.atHistogram() });
  },
  key: (h, index) => histogramKey(h, index),
};

const floatHistogram: Encoding<FloatHistogram> = {
  name: "float histogram",
  samples(rng, n) {
    return histogram.samples(rng, n).map((h, i) => {
      const fh: FloatHistogram = {
        ...h,
        count: h.counterResetHint === "gauge" && i % 7 === 3 ? rng.pick([NaN, Infinity, -0]) : h.count + i / 8,
        zeroCount: h.zeroCount / 3,
        positiveBuckets: absolute(h.positiveBuckets).map((v) => v * 0.1),
        negativeBuckets: absolute(h.negativeBuckets).map((v) => v + 0.5),
      };
      return fh;
    });
  },
  encode(ts, hs) {
    const { chunk, appender } = newFloatHistogramChunk();
    ts.forEach((t, i) => appender.append(t, hs[i]));
    return chunk.bytes().slice();
  },
  resume(bytes, ts, hs) {
    const chunk = new FloatHistogramChunk(bytes.slice());
    const appender = chunk.appender();
    ts.forEach((t, i) => appender.append(t, hs[i]));
    return chunk.bytes().slice();
  },
  iterator(bytes) {
    const it = new FloatHistogramChunk(bytes).iterator();
    return Object.assign(it, { current: () => it.atFloatHistogram() });
  },
  key: (h, index) => histogramKey(h, index),
};

function deltas(abs: number[]): number[] {
  return abs.map((v, i) => (i === 0 ? v : v - abs[i - 1]));
}

function absolute(d: number[]): number[] {
  let c = 0;
  return d.map((v) => (c += v));
}

/** Bit-exact text of a histogram; the hint follows Prometheus's per-position rule, not what was appended. */
function histogramKey(h: Histogram | FloatHistogram, index: number): string {
  if (floatKey(h.sum) === floatKey(STALE_NAN)) return `stale`;
  const hint = h.counterResetHint === "gauge" ? "gauge" : index === 0 ? "unknown" : "notCounterReset";
  return JSON.stringify({
    hint,
    schema: h.schema,
    zt: floatKey(h.zeroThreshold),
    count: floatKey(h.count),
    zero: floatKey(h.zeroCount),
    sum: floatKey(h.sum),
    p: h.positiveSpans,
    n: h.negativeSpans,
    pb: h.positiveBuckets.map(floatKey),
    nb: h.negativeBuckets.map(floatKey),
    cv: h.customValues ?? [],
  });
}

function runContract<S>(encoding: Encoding<S>): void {
  describe(`${encoding.name} chunk contract`, () => {
    const cases: [string, number][] = [
      ["1 sample", 1],
      ["2 samples", 2],
      ["3 samples", 3],
      ["120 samples", 120],
      ["some samples", 37],
    ];
    for (const [label, n] of cases) {
      it(`round-trips ${label} bit for bit (random sequences)`, () => {
        for (let seed = 1; seed <= 60; seed++) {
          const rng = new SeededRandom(seed * 7919 + n);
          const ts = randomTimestamps(rng, n);
          const samples = encoding.samples(rng, n);
          const bytes = encoding.encode(ts, samples);
          const it = encoding.iterator(bytes);
          const got: string[] = [];
          const gotTs: number[] = [];
          while (it.next()) {
            gotTs.push(it.t);
            got.push(encoding.key(it.current(), got.length));
          }
          expect(it.err()).toBeNull();
          expect(gotTs).toEqual(ts);
          expect(got).toEqual(samples.map((s, i) => encoding.key(s, i)));
        }
      });
    }

    it("continues on stored bytes exactly as if never stored", () => {
      for (let seed = 1; seed <= 40; seed++) {
        const rng = new SeededRandom(seed);
        const n = rng.int(2, 130);
        const ts = randomTimestamps(rng, n);
        const samples = encoding.samples(rng, n);
        const whole = encoding.encode(ts, samples);
        const cut = rng.int(1, n - 1);
        const first = encoding.encode(ts.slice(0, cut), samples.slice(0, cut));
        const resumed = encoding.resume(first, ts.slice(cut), samples.slice(cut));
        expect(Buffer.from(resumed).toString("hex")).toBe(Buffer.from(whole).toString("hex"));
      }
    });

    it("seeks to the first sample at or after t, never backwards", () => {
      const rng = new SeededRandom(99);
      const ts = Array.from({ length: 120 }, (_, i) => 1_000_000 + i * 15_000 + rng.int(0, 3));
      const bytes = encoding.encode(ts, encoding.samples(rng, 120));
      for (let k = 0; k < 50; k++) {
        const target = rng.int(ts[0] - 10, ts[119] + 10);
        const it = encoding.iterator(bytes);
        const expected = ts.find((t) => t >= target);
        expect(it.seek(target)).toBe(expected !== undefined);
        if (expected !== undefined) {
          expect(it.t).toBe(expected);
          expect(it.seek(target - 100_000)).toBe(true);
          expect(it.t).toBe(expected);
        }
      }
    });

    it("ends with err() on damaged bytes, without throwing", () => {
      for (let seed = 1; seed <= 30; seed++) {
        const rng = new SeededRandom(seed);
        const n = rng.int(2, 120);
        const bytes = encoding.encode(randomTimestamps(rng, n), encoding.samples(rng, n));
        const truncated = bytes.slice(0, rng.int(0, Math.max(0, bytes.length - 9)));
        let it: (ChunkIterator & { current(): S }) | null = null;
        try {
          it = encoding.iterator(truncated);
        } catch (err) {
          expect((err as Error).name).toBe("ChunkDecodeError"); // constructing over a header-less chunk
          continue;
        }
        let seen = 0;
        while (it.next()) seen++;
        expect(seen).toBeLessThanOrEqual(n);
        if (seen < n) expect(it.err()).not.toBeNull();
      }
    });

    it("survives random bit flips: decodes or reports a ChunkDecodeError, never anything else", () => {
      for (let seed = 1; seed <= 60; seed++) {
        const rng = new SeededRandom(seed + 1000);
        const n = rng.int(1, 120);
        const bytes = encoding.encode(randomTimestamps(rng, n), encoding.samples(rng, n));
        for (let flips = rng.int(1, 4); flips > 0; flips--) {
          const at = rng.int(0, bytes.length * 8 - 1);
          bytes[at >>> 3] ^= 0x80 >>> (at & 7);
        }
        const it = encoding.iterator(bytes);
        let seen = 0;
        while (it.next() && seen <= 0xffff) {
          it.current();
          seen++;
        }
        const err = it.err();
        if (err !== null) expect(err.name).toBe("ChunkDecodeError");
      }
    });
  });
}

runContract(xor);
runContract(histogram);
runContract(floatHistogram);

describe("bulk XOR decode", () => {
  it("equals the iterator on random sequences", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rng = new SeededRandom(seed);
      const n = rng.int(1, 300);
      const ts = randomTimestamps(rng, n);
      const vs = xor.samples(rng, n);
      const { timestamps, values } = decodeXorChunk(xor.encode(ts, vs));
      expect(Array.from(timestamps)).toEqual(ts);
      expect(Array.from(values, floatKey)).toEqual(vs.map(floatKey));
    }
  });
});
