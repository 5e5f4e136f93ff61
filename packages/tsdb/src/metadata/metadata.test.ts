import { describe, expect, it } from "vitest";
import { groupMetadata, MetadataSendCache, type MetricMetadataEntry } from "./metadata";

const entries: MetricMetadataEntry[] = [
  { metric: "go_goroutines", type: "gauge", help: "Goroutines.", unit: "" },
  { metric: "http_requests_total", type: "counter", help: "Requests.", unit: "" },
  { metric: "http_requests_total", type: "counter", help: "Requests served.", unit: "" },
  { metric: "process_cpu_seconds_total", type: "counter", help: "CPU.", unit: "seconds" },
];

describe("groupMetadata", () => {
  it("groups by metric and applies limit, limit_per_metric and metric", () => {
    expect(groupMetadata(entries, {})).toEqual({
      go_goroutines: [{ type: "gauge", help: "Goroutines.", unit: "" }],
      http_requests_total: [
        { type: "counter", help: "Requests.", unit: "" },
        { type: "counter", help: "Requests served.", unit: "" },
      ],
      process_cpu_seconds_total: [{ type: "counter", help: "CPU.", unit: "seconds" }],
    });
    expect(Object.keys(groupMetadata(entries, { limit: 2 }))).toEqual(["go_goroutines", "http_requests_total"]);
    expect(groupMetadata(entries, { limitPerMetric: 1 }).http_requests_total).toHaveLength(1);
    expect(groupMetadata(entries, { metric: "go_goroutines" })).toEqual({
      go_goroutines: [{ type: "gauge", help: "Goroutines.", unit: "" }],
    });
    expect(groupMetadata(entries, { metric: "nope" })).toEqual({});
  });
});

describe("MetadataSendCache", () => {
  it("sends new or changed entries once and again after the refresh interval", () => {
    const cache = new MetadataSendCache(1000);
    expect(cache.due(entries, 0)).toHaveLength(4);
    expect(cache.due(entries, 500)).toEqual([]);
    const changed = { ...entries[0]!, help: "Number of goroutines." };
    expect(cache.due([changed, entries[1]!], 600)).toEqual([changed]);
    expect(cache.due(entries, 1500)).toHaveLength(4);
  });
});
