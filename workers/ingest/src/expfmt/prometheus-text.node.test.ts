import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { testdataPath } from "@edgeprom/testdata";
import { describe, expect, it } from "vitest";
import { ExpositionParseError } from "./errors";
import { parseExpositionAs } from "./parse";
import { parsePrometheusText } from "./prometheus-text";

const expositionFile = (...parts: string[]) => readFileSync(testdataPath("exposition", ...parts));

describe("parsePrometheusText", () => {
  it("parses Prometheus's own 237-family exposition, with and without metadata", () => {
    const withMeta = parsePrometheusText(expositionFile("prometheus-textparse", "alltypes.237mfs.prom.txt").toString());
    expect(withMeta).toHaveLength(237);
    const summary = withMeta.find((f) => f.type === "summary");
    expect(summary?.samples.map((s) => s.name)).toContain(`${summary?.name}_count`);
    const histogram = withMeta.find((f) => f.type === "histogram");
    expect(histogram?.samples.some((s) => s.labels.some((l) => l.name === "le" && l.value === "+Inf"))).toBe(true);
    const noMeta = parsePrometheusText(
      expositionFile("prometheus-textparse", "alltypes.237mfs.nometa.prom.txt").toString(),
    );
    const count = (fs: typeof withMeta) => fs.reduce((n, f) => n + f.samples.length, 0);
    expect(count(noMeta)).toBe(count(withMeta));
  });

  it("parses promtool's test metrics and common's text test data, gzipped too", () => {
    expect(
      parsePrometheusText(expositionFile("prometheus-promtool", "metrics-test.prom").toString()).length,
    ).toBeGreaterThan(0);
    const text = expositionFile("common-expfmt", "testdata", "text");
    const fromGzip = gunzipSync(expositionFile("common-expfmt", "testdata", "text.gz"));
    expect(parseExpositionAs(fromGzip, "prometheus-text")).toEqual(parseExpositionAs(text, "prometheus-text"));
  });

  it("reads whitespace, escapes, special values and timestamps as Prometheus does", () => {
    const families = parsePrometheusText(
      expositionFile("common-expfmt", "fuzz-corpus", "from_test_parse_2").toString(),
    );
    const name = families.find((f) => f.name === "name");
    expect(name).toMatchObject({ type: "counter", help: "two-line\n doc  str\\ing" });
    expect(name?.samples[1]).toMatchObject({
      labels: [
        { name: "basename", value: 'base"v\\al\nue' },
        { name: "labelname", value: "val2" },
      ],
      value: 0.23,
      timestamp: 1234567890,
    });
    const name2 = families.find((f) => f.name === "name2");
    expect(name2).toMatchObject({ type: "gauge", help: 'doc str"ing 2' });
    expect(name2?.samples.map((s) => [s.value, s.timestamp])).toEqual([
      [Infinity, 54321],
      [-Infinity, null],
    ]);
  });

  it("gathers spread-out samples under their family", () => {
    const families = parsePrometheusText(
      expositionFile("common-expfmt", "fuzz-corpus", "from_test_parse_3").toString(),
    );
    const summary = families.find((f) => f.name === "my_summary");
    expect(summary?.samples.map((s) => s.name)).toEqual([
      "my_summary",
      "my_summary",
      "my_summary_count",
      "my_summary_sum",
      "my_summary_count",
      "my_summary_sum",
      "my_summary",
      "my_summary",
    ]);
    expect(families.map((f) => f.name)).toEqual(["my_summary", "decoy", "fake_sum", "another_summary"]);
  });

  it("parses every valid fuzz seed and rejects the invalid ones without crashing", () => {
    const dir = testdataPath("exposition", "common-expfmt", "fuzz-corpus");
    const outcomes: Record<string, string> = {};
    for (const file of readdirSync(dir).sort()) {
      try {
        parsePrometheusText(readFileSync(join(dir, file), "utf8"));
        outcomes[file] = "ok";
      } catch (err) {
        expect(err).toBeInstanceOf(ExpositionParseError);
        outcomes[file] = "error";
      }
    }
    for (const [file, outcome] of Object.entries(outcomes)) {
      if (!file.includes("error")) expect([file, outcome]).toEqual([file, "ok"]);
    }
    // Missing final newline, a backslash-t escape and an unknown escape are accepted, as Prometheus's scraper does;
    // every other invalid seed is rejected.
    const accepted = Object.entries(outcomes)
      .filter(([f, o]) => f.includes("error") && o === "ok")
      .map(([f]) => f);
    expect(accepted.sort()).toEqual(["from_test_parse_error_0", "from_test_parse_error_1"]);
  });

  it("accepts quoted UTF-8 names", () => {
    const [family] = parsePrometheusText('# TYPE "my.metric" gauge\n{"my.metric", "a.b"="c"} 1\n');
    expect(family).toMatchObject({ name: "my.metric", type: "gauge" });
    expect(family.samples[0]).toMatchObject({ name: "my.metric", labels: [{ name: "a.b", value: "c" }] });
  });

  it.each([
    ["float timestamp", "a 1 2.5\n"],
    ["hex value", "a 0x1p-3\n"],
    ["underscore in value", "a 1_2\n"],
    ["single quotes", "a{b='c'} 1\n"],
    ["unterminated label set", 'a{b="c" 1\n'],
    ["duplicate label", 'a{b="1",b="2"} 1\n'],
    ["value true", "a true\n"],
    ["late TYPE", "a 1\n# TYPE a gauge\n"],
    ["unknown TYPE", "# TYPE a bla\n"],
  ])("rejects %s", (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow(ExpositionParseError);
  });
});
