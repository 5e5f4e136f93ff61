import { describe, expect, it } from "vitest";
import { formatFloat } from "./format";

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
