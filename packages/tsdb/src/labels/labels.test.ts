import { describe, expect, it } from "vitest";
import {
  compareLabels,
  decodeLabels,
  decodeLabelsAt,
  encodeLabels,
  encodedLabelsSize,
  formatLabels,
  Fnv1a64,
  hashLabels,
  hashModulo,
  hashToHex,
  InvalidLabelsError,
  labelsEqual,
  labelsFromRecord,
  labelsHashHex,
  labelsOf,
  LabelsDecodeError,
  shardOf,
  sortLabels,
  utf8ByteLength,
  validateSeriesLabels,
  withLabel,
  type Labels,
} from "./index";

/** Reference FNV-1a 64 with BigInt, to check the 32-bit implementation. */
function fnvReference(bytes: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, "0");
}

function hashOfString(s: string): string {
  const fnv = new Fnv1a64();
  fnv.string(s);
  return hashToHex({ hi: fnv.hi, lo: fnv.lo });
}

describe("hash", () => {
  it("matches the published FNV-1a 64 test vectors", () => {
    expect(hashOfString("")).toBe("cbf29ce484222325");
    expect(hashOfString("a")).toBe("af63dc4c8601ec8c");
    expect(hashOfString("foobar")).toBe("85944171f73967e8");
  });

  it("matches a BigInt reference on UTF-8 strings", () => {
    for (const s of ["up", "héllo", "日本語", "emoji 🎉 ok", "x".repeat(300)]) {
      expect(hashOfString(s)).toBe(fnvReference(new TextEncoder().encode(s)));
    }
  });

  it("hashes name 0xff value 0xff per label, stably", () => {
    const labels = labelsOf("__name__", "up", "job", "node");
    const bytes = [...new TextEncoder().encode("__name__"), 0xff, ...new TextEncoder().encode("up"), 0xff];
    bytes.push(...new TextEncoder().encode("job"), 0xff, ...new TextEncoder().encode("node"), 0xff);
    expect(labelsHashHex(labels)).toBe(fnvReference(new Uint8Array(bytes)));
    // Pinned: shard placement must never change across versions.
    expect(labelsHashHex(labels)).toBe("7bfed62635f64858");
    expect(hashLabels(labels)).toEqual({ hi: 0x7bfed626, lo: 0x35f64858 });
    expect(shardOf(labels, 16)).toBe(8);
    expect(labelsHashHex(labelsOf("a", "bc"))).not.toBe(labelsHashHex(labelsOf("ab", "c")));
    // Non-ASCII names and values take the general UTF-8 path mid-string.
    const utf8 = labelsOf("__name__", "http.requests", "région", "Zürich 🎉", "z", "\ud800x");
    const enc = new TextEncoder();
    const ref: number[] = [];
    for (const l of utf8) ref.push(...enc.encode(l.name), 0xff, ...enc.encode(l.value), 0xff);
    expect(labelsHashHex(utf8)).toBe(fnvReference(new Uint8Array(ref)));
  });

  it("matches the BigInt reference on random label sets (ASCII, 2-, 3- and 4-byte UTF-8, lone surrogates)", () => {
    const alphabet = ["a", "Z", "_", "0", ":", "é", "日", "🎉", "\ud800", "\u007f", "\u0080", "\uffff"];
    let seed = 42;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const word = () => Array.from({ length: next(12) }, () => alphabet[next(alphabet.length)]).join("");
    const enc = new TextEncoder();
    for (let round = 0; round < 300; round++) {
      const labels = Array.from({ length: 1 + next(6) }, () => ({ name: word(), value: word() }));
      const ref: number[] = [];
      for (const l of labels) ref.push(...enc.encode(l.name), 0xff, ...enc.encode(l.value), 0xff);
      expect(labelsHashHex(labels)).toBe(fnvReference(new Uint8Array(ref)));
    }
  });

  it("computes the modulo of the full 64-bit value", () => {
    for (const s of ["a", "b", "series-1", "series-2"]) {
      const fnv = new Fnv1a64();
      fnv.string(s);
      const big = BigInt("0x" + hashToHex({ hi: fnv.hi, lo: fnv.lo }));
      for (const n of [1, 2, 3, 7, 16, 1000, 65536]) {
        expect(hashModulo({ hi: fnv.hi, lo: fnv.lo }, n)).toBe(Number(big % BigInt(n)));
      }
    }
    expect(() => hashModulo({ hi: 0, lo: 0 }, 0)).toThrow(RangeError);
  });

  it("spreads realistic series evenly over shards", () => {
    const counts = new Array<number>(16).fill(0);
    const total = 16000;
    for (let i = 0; i < total; i++) {
      const labels = labelsOf(
        "__name__",
        `node_cpu_seconds_total`,
        "cpu",
        String(i % 64),
        "instance",
        `host-${i >> 6}:9100`,
      );
      counts[shardOf(labels, 16)]++;
    }
    for (const c of counts) expect(Math.abs(c - total / 16)).toBeLessThan((total / 16) * 0.1);
  });
});

describe("label sets", () => {
  it("sorts by byte order and drops empty values", () => {
    const labels = labelsFromRecord({ job: "x", __name__: "up", a: "", Z: "1" });
    expect(labels.map((l) => l.name)).toEqual(["Z", "__name__", "job"]);
    // U+FFFD (3 UTF-8 bytes, EF ...) sorts before U+1F389 (F0 ...) as in Go, though UTF-16 orders them the other way.
    expect(
      sortLabels([
        { name: "🎉", value: "1" },
        { name: "\ufffd", value: "2" },
      ]).map((l) => l.name),
    ).toEqual(["\ufffd", "🎉"]);
  });

  it("compares like Prometheus's labels.Compare", () => {
    const a = labelsOf("a", "1", "b", "2");
    expect(compareLabels(a, labelsOf("a", "1", "b", "2"))).toBe(0);
    expect(compareLabels(a, labelsOf("a", "1", "b", "3"))).toBeLessThan(0);
    expect(compareLabels(a, labelsOf("a", "1"))).toBeGreaterThan(0);
    expect(compareLabels(a, labelsOf("a", "1", "c", "0"))).toBeLessThan(0);
    expect(labelsEqual(a, labelsOf("b", "2", "a", "1"))).toBe(true);
    expect(labelsEqual(a, labelsOf("a", "1"))).toBe(false);
  });

  it("sets and removes a label in place of order", () => {
    const a = labelsOf("a", "1", "c", "3");
    expect(withLabel(a, "b", "2")).toEqual(labelsOf("a", "1", "b", "2", "c", "3"));
    expect(withLabel(a, "c", "")).toEqual(labelsOf("a", "1"));
    expect(withLabel(a, "d", "4")).toEqual(labelsOf("a", "1", "c", "3", "d", "4"));
  });
});

describe("formatLabels", () => {
  it("prints Prometheus style with Go quoting", () => {
    expect(formatLabels(labelsOf("__name__", "x", "a", "b"))).toBe('{__name__="x", a="b"}');
    expect(formatLabels(labelsOf("a", 'q"\\\n\t\x01'))).toBe('{a="q\\"\\\\\\n\\t\\x01"}');
    expect(formatLabels(labelsOf("service.name", "日本"))).toBe('{"service.name"="日本"}');
    expect(formatLabels([])).toBe("{}");
  });
});

describe("validateSeriesLabels", () => {
  const expectInvalid = (input: Labels, reason: string, message?: RegExp) => {
    try {
      validateSeriesLabels(input);
      expect.fail("accepted invalid labels");
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidLabelsError);
      expect((err as InvalidLabelsError).reason).toBe(reason);
      if (message) expect((err as Error).message).toMatch(message);
    }
  };

  it("accepts UTF-8 names and returns the canonical set", () => {
    const out = validateSeriesLabels([
      { name: "service.name", value: "api" },
      { name: "__name__", value: "http.requests" },
      { name: "empty", value: "" },
    ]);
    expect(out).toEqual(labelsOf("__name__", "http.requests", "service.name", "api"));
  });

  it("rejects what Prometheus rejects, printing the series", () => {
    expectInvalid([{ name: "a", value: "1" }], "missing-metric-name", /missing metric name.*\{a="1"\}/);
    expectInvalid([{ name: "__name__", value: "" }], "missing-metric-name");
    expectInvalid(
      [
        { name: "__name__", value: "x" },
        { name: "a", value: "b" },
        { name: "a", value: "c" },
      ],
      "duplicate-name",
      /duplicate label name "a" in series \{__name__="x", a="b", a="c"\}/,
    );
    expectInvalid(
      [
        { name: "__name__", value: "x" },
        { name: "", value: "b" },
      ],
      "empty-name",
    );
    expectInvalid(
      [
        { name: "__name__", value: "x" },
        { name: "a\ud800", value: "b" },
      ],
      "invalid-utf8-name",
    );
    expectInvalid(
      [
        { name: "__name__", value: "x" },
        { name: "a", value: "\udc00" },
      ],
      "invalid-utf8-value",
    );
  });

  it("applies configurable limits in UTF-8 bytes", () => {
    const base = [{ name: "__name__", value: "x" }];
    expect(() =>
      validateSeriesLabels([...base, { name: "a", value: "é".repeat(3) }], { limits: { maxValueBytes: 5 } }),
    ).toThrow(/6 bytes\) exceeds the limit of 5/);
    expect(() =>
      validateSeriesLabels([...base, { name: "abcdef", value: "1" }], { limits: { maxNameBytes: 5 } }),
    ).toThrow(InvalidLabelsError);
    expect(() => validateSeriesLabels([...base, { name: "a", value: "1" }], { limits: { maxLabels: 1 } })).toThrow(
      /2 labels exceed the limit of 1/,
    );
    expect(validateSeriesLabels([{ name: "a", value: "1" }], { requireMetricName: false })).toEqual(labelsOf("a", "1"));
    expect(utf8ByteLength("a€🎉")).toBe(1 + 3 + 4);
  });
});

describe("binary encoding", () => {
  it("round-trips and has Prometheus's WAL layout", () => {
    const labels = labelsOf("__name__", "up", "job", "nöde");
    const bytes = encodeLabels(labels);
    expect(bytes.length).toBe(encodedLabelsSize(labels));
    expect(Array.from(bytes.subarray(0, 12))).toEqual([2, 8, ...new TextEncoder().encode("__name__"), 2, 0x75]);
    expect(decodeLabels(bytes)).toEqual(labels);
    expect(decodeLabels(encodeLabels([]))).toEqual([]);
    const long = labelsOf("__name__", "x".repeat(300));
    expect(decodeLabels(encodeLabels(long))).toEqual(long);
  });

  it("decodes several sets from one record", () => {
    const a = encodeLabels(labelsOf("a", "1"));
    const b = encodeLabels(labelsOf("b", "2"));
    const record = new Uint8Array([...a, ...b]);
    const first = decodeLabelsAt(record, 0);
    expect(first.labels).toEqual(labelsOf("a", "1"));
    expect(decodeLabelsAt(record, first.next).labels).toEqual(labelsOf("b", "2"));
  });

  it("rejects corrupt input with a typed error", () => {
    const bytes = encodeLabels(labelsOf("a", "1", "b", "2"));
    expect(() => decodeLabels(bytes.subarray(0, bytes.length - 1))).toThrow(LabelsDecodeError);
    expect(() => decodeLabels(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
    expect(() => decodeLabels(new Uint8Array([1, 1, 0xff, 0]))).toThrow(/UTF-8/);
    expect(() => decodeLabels(new Uint8Array([2, 1, 0x62, 0, 1, 0x61, 0]))).toThrow(/sorted/);
  });
});
