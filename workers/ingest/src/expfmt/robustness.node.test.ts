import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { testdataPath } from "@edgeprom/testdata";
import { describe, expect, it } from "vitest";
import { ExpositionParseError } from "./errors";
import { parseOpenMetrics } from "./openmetrics";
import { parsePrometheusText } from "./prometheus-text";
import { parseProtobufExposition } from "./protobuf";

/** Deterministic mutations: flip, insert or delete bytes at pseudo-random places. */
function* mutations(input: Uint8Array, count: number): Generator<Uint8Array> {
  let x = 0x9e3779b9;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const alphabet = new TextEncoder().encode('{}=",# \n\\.e+-_0123456789aZ\t');
  for (let n = 0; n < count; n++) {
    const bytes = Array.from(input);
    for (let k = 0; k < 1 + (n % 4); k++) {
      const at = next() % (bytes.length + 1);
      const op = next() % 3;
      const byte = n % 2 === 0 ? alphabet[next() % alphabet.length] : next() & 0xff;
      if (op === 0 && at < bytes.length) bytes[at] = byte;
      else if (op === 1) bytes.splice(at, 0, byte);
      else bytes.splice(at, 1);
    }
    yield Uint8Array.from(bytes);
  }
}

function onlyTypedErrors(parse: () => unknown): "ok" | "rejected" {
  try {
    parse();
    return "ok";
  } catch (err) {
    expect(err).toBeInstanceOf(ExpositionParseError);
    return "rejected";
  }
}

const decoder = new TextDecoder();

describe("parsers on mutated input", () => {
  const omFull = readFileSync(testdataPath("exposition", "prometheus-textparse", "alltypes.5mfs.om.txt"), "utf8");
  const om = new TextEncoder().encode(omFull.slice(0, omFull.lastIndexOf("\n", 4000) + 1) + "# EOF\n");
  const text = readFileSync(testdataPath("exposition", "common-expfmt", "testdata", "text")).subarray(0, 4000);
  const proto = new Uint8Array(readFileSync(testdataPath("exposition", "common-expfmt", "testdata", "protobuf")));

  it("OpenMetrics: only typed errors, in both modes", () => {
    const seen = new Set<string>();
    for (const m of mutations(om, 400)) {
      const s = decoder.decode(m);
      seen.add(onlyTypedErrors(() => parseOpenMetrics(s)));
      onlyTypedErrors(() => parseOpenMetrics(s, { strict: true }));
    }
    expect(seen).toEqual(new Set(["ok", "rejected"]));
  });

  it("Prometheus text: only typed errors", () => {
    const seen = new Set<string>();
    for (const m of mutations(new Uint8Array(text), 400))
      seen.add(onlyTypedErrors(() => parsePrometheusText(decoder.decode(m))));
    expect(seen).toEqual(new Set(["ok", "rejected"]));
  });

  it("protobuf: only typed errors", () => {
    const seen = new Set<string>();
    for (const m of mutations(proto, 400)) seen.add(onlyTypedErrors(() => parseProtobufExposition(m)));
    expect(seen.has("rejected")).toBe(true);
  });

  it("the fuzz corpus and the conformance cases never crash the other parser", () => {
    const dirs = [
      testdataPath("exposition", "common-expfmt", "fuzz-corpus"),
      ...readdirSync(testdataPath("exposition", "openmetrics-parsers")).map((c) =>
        testdataPath("exposition", "openmetrics-parsers", c),
      ),
    ];
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f !== "test.json")) {
        const s = readFileSync(join(dir, file), "utf8");
        onlyTypedErrors(() => parsePrometheusText(s));
        onlyTypedErrors(() => parseOpenMetrics(s));
      }
    }
  });
});
