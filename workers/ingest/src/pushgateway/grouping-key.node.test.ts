import { describe, expect, it } from "vitest";
import { formatGroupingKeyPath, GroupingKeyError, parseGroupingKey } from "./grouping-key";

describe("parseGroupingKey", () => {
  it("reads the job and label pairs, sorted by name", () => {
    expect(parseGroupingKey("job/batch/zone/eu/instance/node-1")).toEqual([
      { name: "instance", value: "node-1" },
      { name: "job", value: "batch" },
      { name: "zone", value: "eu" },
    ]);
  });

  it("decodes @base64 values, including a slash and the empty value", () => {
    expect(parseGroupingKey("job/directory_cleaner/path@base64/L3Zhci90bXA")).toEqual([
      { name: "job", value: "directory_cleaner" },
      { name: "path", value: "/var/tmp" },
    ]);
    expect(parseGroupingKey("job/example/first_label@base64/=/second_label/foobar")).toEqual([
      { name: "first_label", value: "" },
      { name: "job", value: "example" },
      { name: "second_label", value: "foobar" },
    ]);
    expect(parseGroupingKey("job@base64/YmF0Y2g")).toEqual([{ name: "job", value: "batch" }]);
  });

  it("decodes percent-encoding and base64 of UTF-8 alike", () => {
    const viaPercent = parseGroupingKey("job/titan/name/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82");
    const viaBase64 = parseGroupingKey("job/titan/name@base64/zqDPgc6_zrzOt864zrXPjc-C");
    expect(viaPercent).toEqual(viaBase64);
    expect(viaPercent[1]).toEqual({ name: "name", value: "Προμηθεύς" });
  });

  it("decodes U__-escaped UTF-8 label names", () => {
    expect(parseGroupingKey("job/example/U__foo_2e_bar/baz")).toContainEqual({ name: "foo.bar", value: "baz" });
  });

  it("refuses paths that name no valid group", () => {
    for (const path of [
      "",
      "job",
      "jobs/x",
      "job/",
      "job/x/label",
      "job/x/path@base64/not*base64",
      "job/x/__name__/y",
      "job/x/a/1/a/2",
      "job/x/%E0%A4%A",
    ]) {
      expect(() => parseGroupingKey(path), path).toThrow(GroupingKeyError);
    }
  });

  it("formats a key as a path that parses back to the same key", () => {
    const key = parseGroupingKey("job/a%2Fb/empty@base64/=/x/Προμηθεύς");
    expect(parseGroupingKey(formatGroupingKeyPath(key))).toEqual(key);
  });
});
