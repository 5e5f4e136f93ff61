import { describe, expect, it } from "vitest";
import type { QueryValue } from "@edgeprom/promql";
import { encodeQueryData } from "./encode";

const labels = [
  { name: "__name__", value: "up" },
  { name: "job", value: 'a"b' },
];

function matrix(values: number[], times = values.map((_, i) => 1_700_000_000_000 + i * 15_000)): QueryValue {
  return {
    type: "matrix",
    series: [{ labels, floats: values.map((f, i) => ({ t: times[i]!, f })), histograms: [] }],
  };
}

describe("encodeQueryData", () => {
  it("writes a matrix as Prometheus does: seconds as numbers, values as Go-formatted strings", () => {
    expect(JSON.parse(encodeQueryData(matrix([1, 0.5], [1_435_781_451_781, 1_435_781_466_781])))).toEqual({
      resultType: "matrix",
      result: [
        {
          metric: { __name__: "up", job: 'a"b' },
          values: [
            [1435781451.781, "1"],
            [1435781466.781, "0.5"],
          ],
        },
      ],
    });
  });

  it("writes repeated values, signed zeros, NaN and infinities point by point", () => {
    const body = encodeQueryData(matrix([2.5, 2.5, 0, -0, -0, 0, NaN, NaN, Infinity, -Infinity, 1e21, 1e21]));
    const values = (JSON.parse(body) as { result: { values: [number, string][] }[] }).result[0]!.values;
    expect(values.map((p) => p[1])).toEqual([
      "2.5",
      "2.5",
      "0",
      "-0",
      "-0",
      "0",
      "NaN",
      "NaN",
      "+Inf",
      "-Inf",
      "1000000000000000000000",
      "1000000000000000000000",
    ]);
    expect(values.map((p) => p[0])).toEqual(Array.from({ length: 12 }, (_, i) => 1_700_000_000 + i * 15));
  });

  it("writes several series separated by commas and an empty matrix as an empty list", () => {
    const two: QueryValue = {
      type: "matrix",
      series: [
        { labels, floats: [{ t: 1000, f: 1 }], histograms: [] },
        { labels: [{ name: "job", value: "b" }], floats: [{ t: -1500, f: 2 }], histograms: [] },
      ],
    };
    expect(encodeQueryData(two)).toBe(
      '{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"a\\"b"},"values":[[1,"1"]]},' +
        '{"metric":{"job":"b"},"values":[[-1.500,"2"]]}]}',
    );
    expect(encodeQueryData({ type: "matrix", series: [] })).toBe('{"resultType":"matrix","result":[]}');
  });
});
