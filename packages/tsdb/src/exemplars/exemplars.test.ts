import { describe, expect, it } from "vitest";
import { labelsOf } from "../labels/label";
import { selectExemplars, type StoredExemplar } from "./exemplars";

const trace = (id: string) => labelsOf("trace_id", id);
const api = labelsOf("__name__", "http_request_duration_seconds_bucket", "job", "api", "le", "0.5");
const db = labelsOf("__name__", "http_request_duration_seconds_bucket", "job", "db", "le", "0.5");

const stored: StoredExemplar[] = [
  { seriesLabels: db, labels: trace("c"), value: 0.3, timestamp: 3000 },
  { seriesLabels: api, labels: trace("b"), value: 0.2, timestamp: 2000 },
  { seriesLabels: api, labels: trace("a"), value: 0.1, timestamp: 1000 },
];

describe("selectExemplars", () => {
  it("groups exemplars of matching series, in label then time order", () => {
    expect(
      selectExemplars(stored, [[{ type: "=", name: "__name__", value: "http_request_duration_seconds_bucket" }]]),
    ).toEqual([
      {
        seriesLabels: api,
        exemplars: [
          { labels: trace("a"), value: 0.1, timestamp: 1000 },
          { labels: trace("b"), value: 0.2, timestamp: 2000 },
        ],
      },
      { seriesLabels: db, exemplars: [{ labels: trace("c"), value: 0.3, timestamp: 3000 }] },
    ]);
  });

  it("keeps series matching any selector and honours regex matchers", () => {
    expect(selectExemplars(stored, [[{ type: "=~", name: "job", value: "d.*" }]]).map((s) => s.seriesLabels)).toEqual([
      db,
    ]);
    expect(
      selectExemplars(stored, [[{ type: "=", name: "job", value: "api" }], [{ type: "=", name: "job", value: "db" }]]),
    ).toHaveLength(2);
    expect(selectExemplars(stored, [[{ type: "=", name: "job", value: "none" }]])).toEqual([]);
  });
});
