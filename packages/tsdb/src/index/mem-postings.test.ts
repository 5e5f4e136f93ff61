import { describe, expect, it } from "vitest";
import { labelsOf, type Labels } from "../labels/label";
import { compileMatchers, InvalidMatcherError, type LabelMatcher } from "./matcher";
import { MemPostings } from "./mem-postings";

const series: Labels[] = [
  labelsOf("__name__", "up", "job", "api", "instance", "a:80"),
  labelsOf("__name__", "up", "job", "api", "instance", "b:80"),
  labelsOf("__name__", "up", "job", "db", "instance", "c:80"),
  labelsOf("__name__", "http_requests_total", "job", "api", "code", "200"),
  labelsOf("__name__", "http_requests_total", "job", "api", "code", "500"),
  labelsOf("__name__", "http_requests_total", "job", "api"),
  labelsOf("__name__", "line", "msg", "a\nb"),
];

function index(): MemPostings {
  const postings = new MemPostings();
  series.forEach((labels, id) => postings.add(id, labels));
  return postings;
}

/** Selects through postings alone and with the series' labels at hand (the filtering path): both must agree. */
function select(postings: MemPostings, ...matchers: [string, LabelMatcher["type"], string][]): number[] {
  const compiled = compileMatchers(matchers.map(([name, type, value]) => ({ name, type, value })));
  const viaPostings = postings.select(compiled);
  expect(postings.select(compiled, (id) => series[id])).toEqual(viaPostings);
  return viaPostings;
}

describe("MemPostings.select", () => {
  const postings = index();

  it("matches equality and inequality", () => {
    expect(select(postings, ["__name__", "=", "up"])).toEqual([0, 1, 2]);
    expect(select(postings, ["__name__", "=", "up"], ["job", "!=", "api"])).toEqual([2]);
    expect(select(postings, ["__name__", "=", "nope"])).toEqual([]);
  });

  it("treats an absent label as the empty value", () => {
    // code="" selects series without the label; code!="" those with it.
    expect(select(postings, ["__name__", "=", "http_requests_total"], ["code", "=", ""])).toEqual([5]);
    expect(select(postings, ["__name__", "=", "http_requests_total"], ["code", "!=", ""])).toEqual([3, 4]);
    expect(select(postings, ["code", "!=", "200"], ["job", "=", "api"])).toEqual([0, 1, 4, 5]);
    expect(select(postings, ["code", "=~", ".*"], ["job", "=", "api"])).toEqual([0, 1, 3, 4, 5]);
    expect(select(postings, ["code", "=~", ".+"])).toEqual([3, 4]);
    expect(select(postings, ["code", "=~", "|200"], ["__name__", "=~", "http.*"])).toEqual([3, 5]);
    expect(select(postings, ["code", "=~", ""])).toEqual([0, 1, 2, 5, 6]);
    expect(select(postings, ["job", "!~", "api|db"])).toEqual([6]);
  });

  it("anchors regexes on both ends and lets . match a newline", () => {
    expect(select(postings, ["job", "=~", "ap"])).toEqual([]);
    expect(select(postings, ["job", "=~", "a.i|d."])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(select(postings, ["instance", "=~", "a:80|c:.*"])).toEqual([0, 2]);
    expect(select(postings, ["msg", "=~", "a.b"])).toEqual([6]);
    expect(select(postings, ["__name__", "!~", "up"], ["job", "=~", "(?i)API"])).toEqual([3, 4, 5]);
  });

  it("gives the same answer when it tests the labels of few candidates instead of unioning postings", () => {
    const many: Labels[] = [];
    for (let host = 0; host < 40; host++) {
      for (const name of ["mem", "load", "cpu"]) {
        const l = labelsOf("__name__", name, "instance", `host-${String(host).padStart(3, "0")}:9100`, "job", "node");
        many.push(host % 7 === 0 ? l.filter((x) => x.name !== "job") : l);
      }
    }
    const p = new MemPostings();
    many.forEach((labels, id) => p.add(id, labels));
    const cases: LabelMatcher[][] = [
      [
        { name: "__name__", type: "=", value: "mem" },
        { name: "instance", type: "=~", value: "host-00[0-9]:.*" },
      ],
      [
        { name: "__name__", type: "=", value: "mem" },
        { name: "job", type: "!=", value: "node" },
      ],
      [
        { name: "__name__", type: "=", value: "load" },
        { name: "job", type: "=~", value: "" },
      ],
      [
        { name: "__name__", type: "=", value: "cpu" },
        { name: "instance", type: "!~", value: "host-0[0-2].*" },
      ],
      [
        { name: "job", type: "=", value: "node" },
        { name: "__name__", type: "=~", value: "mem|cpu" },
      ],
      [
        { name: "__name__", type: "=", value: "nope" },
        { name: "instance", type: "=~", value: ".+" },
      ],
    ];
    for (const matchers of cases) {
      const compiled = compileMatchers(matchers);
      const expected = p.select(compiled);
      expect(p.select(compiled, (id) => many[id])).toEqual(expected);
    }
    const regexOnMem = compileMatchers(cases[0]);
    expect(p.select(regexOnMem, (id) => many[id])).toHaveLength(10);
  });

  it("returns nothing for an empty matcher list", () => {
    expect(postings.select([])).toEqual([]);
  });

  it("rejects a bad regex with a typed error", () => {
    expect(() => compileMatchers([{ name: "a", type: "=~", value: "(" }])).toThrow(InvalidMatcherError);
    expect(() => compileMatchers([{ name: "a", type: "~" as LabelMatcher["type"], value: "" }])).toThrow(
      InvalidMatcherError,
    );
  });

  it("removes series from every list", () => {
    const p = index();
    p.remove(new Set([0, 6]), (id) => series[id]);
    expect(select(p, ["__name__", "=", "up"])).toEqual([1, 2]);
    expect(p.labelNames()).toEqual(["__name__", "code", "instance", "job"]);
    expect(p.seriesCount).toBe(5);
  });
});

describe("MemPostings names, values and stats", () => {
  const postings = index();

  it("lists label names and values sorted", () => {
    expect(postings.labelNames()).toEqual(["__name__", "code", "instance", "job", "msg"]);
    expect(postings.labelValues("job")).toEqual(["api", "db"]);
    expect(postings.labelValues("nope")).toEqual([]);
  });

  it("reports cardinality like Prometheus's status page", () => {
    const stats = postings.stats(2);
    expect(stats.numLabelPairs).toBe(11);
    expect(stats.seriesCountByMetricName).toEqual([
      { name: "http_requests_total", value: 3 },
      { name: "up", value: 3 },
    ]);
    expect(stats.labelValueCountByLabelName).toEqual([
      { name: "__name__", value: 3 },
      { name: "instance", value: 3 },
    ]);
    expect(stats.memoryInBytesByLabelName[0]).toEqual({ name: "__name__", value: 2 + 19 + 4 });
    expect(stats.seriesCountByLabelValuePair[0]).toEqual({ name: "job=api", value: 5 });
  });
});
