import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { testdataPath } from "@edgeprom/testdata";
import { describe, expect, it } from "vitest";
import { ExpositionParseError } from "./errors";
import { parseOpenMetrics } from "./openmetrics";

const suiteDir = testdataPath("exposition", "openmetrics-parsers");
const cases = readdirSync(suiteDir)
  .sort()
  .map((name) => {
    const spec = JSON.parse(readFileSync(join(suiteDir, name, "test.json"), "utf8")) as { shouldParse: boolean };
    return { name, shouldParse: spec.shouldParse, text: readFileSync(join(suiteDir, name, "metrics"), "utf8") };
  });

describe("OpenMetrics 1.0 conformance suite (strict)", () => {
  it("has all 211 cases", () => {
    expect(cases).toHaveLength(211);
  });

  it.each(cases.filter((c) => c.shouldParse).map((c) => [c.name, c.text]))("accepts %s", (_name, text) => {
    expect(() => parseOpenMetrics(text, { strict: true })).not.toThrow();
  });

  it.each(cases.filter((c) => !c.shouldParse).map((c) => [c.name, c.text]))("rejects %s", (_name, text) => {
    expect(() => parseOpenMetrics(text, { strict: true })).toThrow(ExpositionParseError);
  });

  it.each(cases.filter((c) => c.shouldParse).map((c) => [c.name, c.text]))(
    "accepts %s in default mode too",
    (_name, text) => {
      expect(() => parseOpenMetrics(text)).not.toThrow();
    },
  );
});

describe("parseOpenMetrics", () => {
  it("reads metadata, exemplars, float-second timestamps and folds _created", () => {
    const families = parseOpenMetrics(
      [
        "# TYPE acme_requests counter",
        "# UNIT acme_requests requests",
        '# HELP acme_requests Requests\\n served \\\\ \\"ok\\".',
        'acme_requests_total{path="/a",code="200"} 42 1700000000.5 # {trace_id="abc"} 1 1700000000.25',
        'acme_requests_created{code="200",path="/a"} 1600000000.123 1700000000.5',
        "# EOF",
        "",
      ].join("\n"),
      { strict: true },
    );
    expect(families).toEqual([
      {
        name: "acme_requests",
        type: "counter",
        unit: "requests",
        help: 'Requests\n served \\ "ok".',
        samples: [
          {
            name: "acme_requests_total",
            labels: [
              { name: "code", value: "200" },
              { name: "path", value: "/a" },
            ],
            value: 42,
            timestamp: 1_700_000_000_500,
            createdTimestamp: 1_600_000_000_123,
            exemplars: [{ labels: [{ name: "trace_id", value: "abc" }], value: 1, timestamp: 1_700_000_000_250 }],
            histogram: null,
          },
        ],
      },
    ]);
  });

  it("groups histogram, summary, info and stateset samples under their families", () => {
    const families = parseOpenMetrics(
      readFileSync(testdataPath("exposition", "openmetrics-parsers", "roundtrip", "metrics"), "utf8"),
      { strict: true },
    );
    const byName = new Map(families.map((f) => [f.name, f]));
    expect(byName.get("go_gc_duration_seconds")?.type).toBe("summary");
    expect(byName.get("go_gc_duration_seconds")?.samples.map((s) => s.name)).toEqual([
      ...new Array(5).fill("go_gc_duration_seconds"),
      "go_gc_duration_seconds_sum",
      "go_gc_duration_seconds_count",
    ]);
  });

  it("accepts Prometheus's quoted UTF-8 names by default and rejects them in strict mode", () => {
    const text = '# TYPE "my.metric" gauge\n{"my.metric","a.b"="c",d="e"} 1\n# EOF\n';
    const [family] = parseOpenMetrics(text);
    expect(family).toMatchObject({ name: "my.metric", type: "gauge" });
    expect(family.samples[0]).toMatchObject({
      name: "my.metric",
      labels: [
        { name: "a.b", value: "c" },
        { name: "d", value: "e" },
      ],
    });
    expect(() => parseOpenMetrics(text, { strict: true })).toThrow(ExpositionParseError);
  });

  it("unescapes label values and keeps unknown escapes", () => {
    const [family] = parseOpenMetrics('a{b="x\\"y\\nz\\\\w\\q"} 1\n# EOF\n');
    expect(family.samples[0].labels).toEqual([{ name: "b", value: 'x"y\nz\\w\\q' }]);
  });

  it.each([
    ["prometheus-textparse", "alltypes.5mfs.om.txt"],
    ["prometheus-textparse", "1histogram.om.txt"],
    ["prometheus-promtool", "dump-openmetrics-test.prom"],
    ["prometheus-promtool", "dump-openmetrics-roundtrip-test.prom"],
  ])("parses %s/%s", (dir, file) => {
    const families = parseOpenMetrics(readFileSync(testdataPath("exposition", dir, file), "utf8"));
    expect(families.length).toBeGreaterThan(0);
    expect(families.every((f) => f.samples.length > 0)).toBe(true);
  });

  it("reads promtool's float-second timestamps as milliseconds", () => {
    const families = parseOpenMetrics(
      readFileSync(testdataPath("exposition", "prometheus-promtool", "dump-openmetrics-test.prom"), "utf8"),
    );
    expect(families[0].samples.slice(0, 2).map((s) => s.timestamp)).toEqual([0, 60_000]);
  });

  it("reports the line of an error", () => {
    const err = (() => {
      try {
        parseOpenMetrics("a 1\nb x\n# EOF\n");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ExpositionParseError);
    expect(err).toMatchObject({ line: 2, status: 400 });
  });
});
