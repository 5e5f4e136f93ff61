import { describe, expect, it } from "vitest";
import { ProtobufDecodeError } from "./errors";
import { ProtoReader } from "./reader";
import { Utf8Interner } from "./utf8-interner";
import { WireType } from "./wire-type";
import { ProtoWriter } from "./writer";

describe("protobuf wire codec", () => {
  it.each([
    0,
    1,
    127,
    128,
    300,
    2 ** 31,
    2 ** 32 - 1,
    2 ** 32,
    1_700_000_000_000,
    2 ** 49,
    2 ** 53 - 1,
    -1,
    -5000,
    -(2 ** 53 - 1),
  ])("round-trips int64 %d", (n) => {
    const bytes = new ProtoWriter(4).int64(n).finish();
    expect(bytes.length).toBeLessThanOrEqual(10);
    if (n < 0) expect(bytes.length).toBe(10);
    expect(new ProtoReader(bytes).int64()).toBe(n);
  });

  it.each([
    0,
    1,
    -1,
    63,
    -64,
    2 ** 40,
    -(2 ** 40),
    2 ** 52,
    -(2 ** 52),
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
  ])("round-trips sint64 %d", (n) => {
    expect(new ProtoReader(new ProtoWriter(4).sint64(n).finish()).sint64()).toBe(n);
  });

  it.each([0, 1, -1, 2 ** 31 - 1, -(2 ** 31)])("round-trips sint32 %d", (n) => {
    expect(new ProtoReader(new ProtoWriter(4).sint32(n).finish()).sint32()).toBe(n);
  });

  it("reads known encodings", () => {
    expect(new ProtoReader(Uint8Array.of(0xac, 0x02)).uint32()).toBe(300);
    expect(new ProtoReader(Uint8Array.of(0x03)).sint32()).toBe(-2);
    // A negative int32 on the wire is ten bytes; uint32() keeps the low 32 bits.
    const minusOne = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    expect(new ProtoReader(minusOne).int32()).toBe(-1);
    expect(new ProtoReader(minusOne).uint32()).toBe(0xffffffff);
  });

  it("nests messages with correct length prefixes, including long ones", () => {
    const long = "x".repeat(300);
    const bytes = new ProtoWriter(8).fork(1).tag(2, WireType.LengthDelimited).string(long).join().finish();
    const r = new ProtoReader(bytes);
    expect(r.uint32()).toBe((1 << 3) | WireType.LengthDelimited);
    const end = r.messageEnd();
    expect(end).toBe(bytes.length);
    expect(r.uint32()).toBe((2 << 3) | WireType.LengthDelimited);
    expect(new TextDecoder().decode(r.bytes(end))).toBe(long);
  });

  it("skips every wire type, groups included", () => {
    const w = new ProtoWriter();
    w.tag(1, WireType.Varint).int64(-7);
    w.tag(2, WireType.Fixed64).double(1.5);
    w.tag(3, WireType.LengthDelimited).string("skip me");
    w.tag(4, WireType.StartGroup).tag(1, WireType.Varint).uint32(5).tag(4, WireType.EndGroup);
    w.tag(5, WireType.Fixed32).uint32(0).uint32(0).uint32(0).uint32(0);
    const bytes = w.finish();
    const r = new ProtoReader(bytes);
    while (r.pos < r.end) {
      const tag = r.uint32();
      r.skip(tag & 7);
    }
    expect(r.pos).toBe(bytes.length);
  });

  it.each<[string, number[], (r: ProtoReader) => unknown]>([
    ["truncated varint", [0x80, 0x80], (r) => r.int64()],
    ["eleven-byte varint", [...new Array(10).fill(0xff), 0x01], (r) => r.int64()],
    ["truncated double", [1, 2, 3], (r) => r.double()],
    ["length past the end", [5, 1], (r) => r.messageEnd()],
    ["invalid wire type", [], (r) => r.skip(7)],
    ["unterminated group", [0x08, 0x01], (r) => r.skip(WireType.StartGroup)],
  ])("rejects %s", (_name, bytes, read) => {
    expect(() => read(new ProtoReader(Uint8Array.from(bytes)))).toThrow(ProtobufDecodeError);
  });
});

describe("Utf8Interner", () => {
  const enc = new TextEncoder();

  it("returns the same string object for the same bytes", () => {
    const interner = new Utf8Interner(4);
    const a = enc.encode("__name__ job __name__");
    const first = interner.decode(a, 0, 8);
    expect(first).toBe("__name__");
    expect(interner.decode(a, 13, 21)).toBe(first);
    expect(interner.decode(a, 9, 12)).toBe("job");
  });

  it("decodes non-ASCII, keeps a leading U+FEFF and flags invalid UTF-8", () => {
    const interner = new Utf8Interner();
    const text = "\uFEFFväłue 🚀";
    const bytes = enc.encode(text);
    expect(interner.decode(bytes, 0, bytes.length)).toBe(text);
    expect(interner.invalid).toBe(false);
    expect(interner.decode(Uint8Array.of(0x61, 0xff), 0, 2)).toBe("a\uFFFD");
    expect(interner.invalid).toBe(true);
  });
});
