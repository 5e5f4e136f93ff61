import { describe, expect, it } from "vitest";
import { formatFloat, formatGoFixed, formatGoFloat, formatGoValue } from "./format";

describe("formatFloat", () => {
  it("writes Go's shortest 'f' form", () => {
    expect(formatFloat(1)).toBe("1");
    expect(formatFloat(0.1)).toBe("0.1");
    expect(formatFloat(-2.5)).toBe("-2.5");
    expect(formatFloat(1e21)).toBe("1000000000000000000000");
    expect(formatFloat(1.5e22)).toBe("15000000000000000000000");
    expect(formatFloat(1e-7)).toBe("0.0000001");
    expect(formatFloat(-1.25e-8)).toBe("-0.0000000125");
    expect(formatFloat(123456789012)).toBe("123456789012");
    expect(formatFloat(Number.MAX_VALUE)).toBe("17976931348623157" + "0".repeat(292));
    expect(formatFloat(5e-324)).toBe("0." + "0".repeat(323) + "5");
  });
  it("writes special values as Prometheus does", () => {
    expect(formatFloat(NaN)).toBe("NaN");
    expect(formatFloat(Infinity)).toBe("+Inf");
    expect(formatFloat(-Infinity)).toBe("-Inf");
    expect(formatFloat(0)).toBe("0");
    expect(formatFloat(-0)).toBe("-0");
  });
});

describe("formatGoFloat", () => {
  it("writes Go's shortest %g form", () => {
    expect(formatGoFloat(0.1)).toBe("0.1");
    expect(formatGoFloat(1e-4)).toBe("0.0001");
    expect(formatGoFloat(1e-5)).toBe("1e-05");
    expect(formatGoFloat(1e-7)).toBe("1e-07");
    expect(formatGoFloat(123456)).toBe("123456");
    expect(formatGoFloat(1e6)).toBe("1e+06");
    expect(formatGoFloat(-1.5e21)).toBe("-1.5e+21");
    expect(formatGoFloat(5e-324)).toBe("5e-324");
    expect(formatGoFloat(Number.MAX_VALUE)).toBe("1.7976931348623157e+308");
  });
  it("writes special values as Prometheus does", () => {
    expect(formatGoFloat(NaN)).toBe("NaN");
    expect(formatGoFloat(Infinity)).toBe("+Inf");
    expect(formatGoFloat(-Infinity)).toBe("-Inf");
    expect(formatGoFloat(0)).toBe("0");
    expect(formatGoFloat(-0)).toBe("-0");
  });
});

describe("both forms round-trip", () => {
  it("parse back to the same float64 for arbitrary bit patterns, subnormals included", () => {
    const view = new DataView(new ArrayBuffer(8));
    let seed = 0x2545f491;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 20000; i++) {
      view.setUint32(0, next());
      view.setUint32(4, next());
      // Every fourth value gets a zero exponent field: a subnormal.
      if (i % 4 === 0) view.setUint16(0, view.getUint16(0) & 0x800f);
      const v = view.getFloat64(0);
      if (!Number.isFinite(v)) continue;
      expect(Object.is(Number(formatFloat(v)), v)).toBe(true);
      expect(Object.is(Number(formatGoFloat(v)), v)).toBe(true);
    }
  });
});

describe("message forms", () => {
  it("formatGoValue writes shortest digits and Go's exponent notation for small values", () => {
    expect(formatGoValue(0.5)).toBe("0.5");
    expect(formatGoValue(-1.25)).toBe("-1.25");
    expect(formatGoValue(1e-5)).toBe("1e-05");
    expect(formatGoValue(NaN)).toBe("NaN");
    expect(formatGoValue(-Infinity)).toBe("-Inf");
  });
  it("formatGoFixed writes six decimals", () => {
    expect(formatGoFixed(1.5)).toBe("1.500000");
    expect(formatGoFixed(-0.0000004)).toBe("-0.000000");
    expect(formatGoFixed(Infinity)).toBe("+Inf");
    expect(formatGoFixed(NaN)).toBe("NaN");
  });
});
