// The decoders use only globals both runtimes have; this checks the ones whose behaviour matters inside workerd
// (fatal TextDecoder with ignoreBOM, String.fromCharCode over typed arrays, NaN payloads in Float64Array).
import { describe, expect, it } from "vitest";
import { parseOpenMetrics } from "../expfmt/openmetrics";
import { decodeRemoteWrite, encodeRemoteWrite, type SeriesToWrite } from "./index";

const staleNaN = new Float64Array(new Uint32Array([2, 0x7ff00000]).buffer)[0];

const series: SeriesToWrite[] = [
  {
    labels: [
      { name: "__name__", value: "up" },
      { name: "job", value: "\uFEFFväłue 🚀" },
    ],
    samples: [
      { timestamp: 1_700_000_000_000, value: 1 },
      { timestamp: 1_700_000_015_000, value: staleNaN },
    ],
  },
];

describe("ingest decoders inside workerd", () => {
  it.each(["1.0", "2.0"] as const)("round-trip remote write %s with exact NaN bits and UTF-8", (version) => {
    const { body, headers } = encodeRemoteWrite({ series }, version);
    const batch = decodeRemoteWrite(body, new Headers(headers));
    expect(batch.series[0].labels[1].value).toBe("\uFEFFväłue 🚀");
    const words = new Uint32Array(batch.values.buffer, batch.values.byteOffset, 4);
    expect([words[2], words[3]]).toEqual([2, 0x7ff00000]);
  });

  it("parse OpenMetrics", () => {
    const [family] = parseOpenMetrics('# TYPE a counter\na_total{b="c"} 1\n# EOF\n', { strict: true });
    expect(family.samples[0].value).toBe(1);
  });
});
