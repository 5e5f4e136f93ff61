// The hand-written remote-read codecs against protobufjs compiling Prometheus's own remote.proto and types.proto:
// what one encodes the other must decode to the same content, so field numbers, wire types and packing agree
// with the schema rather than with this package's reading of it.
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { testdataPath } from "@edgeprom/testdata";
import { decodeChunkedReadResponse, encodeChunkedReadResponse } from "./chunked-read-response";
import { decodeReadRequest, encodeReadRequest } from "./read-request";
import { decodeReadResponse, encodeReadResponse } from "./read-response";
import type { ReadRequest, ReadResponse } from "./types";

function loadPrompb(): protobuf.Root {
  const root = new protobuf.Root();
  for (const file of ["types.proto", "remote.proto"]) {
    // gogoproto options only steer Go code generation; the imports are dropped because both files share one root.
    const text = readFileSync(testdataPath("proto", "prompb", file), "utf8").replace(/^import .*;$/gm, "");
    protobuf.parse(text, root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

const root = loadPrompb();
const ReadRequestType = root.lookupType("prometheus.ReadRequest");
const ReadResponseType = root.lookupType("prometheus.ReadResponse");
const ChunkedReadResponseType = root.lookupType("prometheus.ChunkedReadResponse");

const toObject = (type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> =>
  type.toObject(type.decode(bytes), { longs: Number, enums: Number, defaults: false, arrays: true });

describe("remote-read codecs against protobufjs on Prometheus's .proto files", () => {
  const request: ReadRequest = {
    queries: [
      {
        startTimestampMs: 1_700_000_000_000,
        endTimestampMs: 1_700_000_600_000,
        matchers: [
          { type: "=", name: "__name__", value: "up" },
          { type: "!~", name: "job", value: "a|b" },
        ],
        hints: {
          stepMs: 15_000,
          func: "rate",
          startMs: 1_700_000_000_000,
          endMs: 1_700_000_600_000,
          grouping: ["job", "instance"],
          by: true,
          rangeMs: 300_000,
        },
      },
    ],
    acceptedResponseTypes: [1, 0],
  };

  it("ReadRequest: ours decodes in protobufjs and protobufjs's decodes in ours", () => {
    const decoded = toObject(ReadRequestType, encodeReadRequest(request));
    expect(decoded).toEqual({
      queries: [
        {
          start_timestamp_ms: 1_700_000_000_000,
          end_timestamp_ms: 1_700_000_600_000,
          matchers: [
            { name: "__name__", value: "up" },
            { type: 3, name: "job", value: "a|b" },
          ],
          hints: {
            step_ms: 15_000,
            func: "rate",
            start_ms: 1_700_000_000_000,
            end_ms: 1_700_000_600_000,
            grouping: ["job", "instance"],
            by: true,
            range_ms: 300_000,
          },
        },
      ],
      accepted_response_types: [1, 0],
    });
    const theirs = ReadRequestType.encode(ReadRequestType.fromObject(decoded)).finish();
    expect(decodeReadRequest(theirs)).toEqual(request);
  });

  it("ReadResponse: samples and an integer histogram", () => {
    const response: ReadResponse = {
      results: [
        {
          timeseries: [
            {
              labels: [{ name: "__name__", value: "x" }],
              samples: { t: [1000, 2000], v: Float64Array.of(1.5, -3) },
              histograms: [
                {
                  timestamp: 3000,
                  isFloat: false,
                  counterResetHint: "counterReset",
                  schema: 1,
                  zeroThreshold: 0.5,
                  zeroCount: 2,
                  count: 9,
                  sum: 12.25,
                  positiveSpans: [{ offset: -2, length: 2 }],
                  positiveBuckets: [4, 3],
                  negativeSpans: [],
                  negativeBuckets: [],
                  customValues: [],
                },
              ],
            },
          ],
        },
      ],
    };
    const decoded = toObject(ReadResponseType, encodeReadResponse(response));
    expect(decoded).toEqual({
      results: [
        {
          timeseries: [
            {
              labels: [{ name: "__name__", value: "x" }],
              samples: [
                { value: 1.5, timestamp: 1000 },
                { value: -3, timestamp: 2000 },
              ],
              exemplars: [],
              histograms: [
                {
                  count_int: 9,
                  sum: 12.25,
                  schema: 1,
                  zero_threshold: 0.5,
                  zero_count_int: 2,
                  negative_spans: [],
                  negative_deltas: [],
                  negative_counts: [],
                  positive_spans: [{ offset: -2, length: 2 }],
                  positive_deltas: [4, -1],
                  positive_counts: [],
                  reset_hint: 1,
                  timestamp: 3000,
                  custom_values: [],
                },
              ],
            },
          ],
        },
      ],
    });
    const theirs = ReadResponseType.encode(ReadResponseType.fromObject(decoded)).finish();
    expect(decodeReadResponse(theirs)).toEqual({
      results: [
        {
          timeseries: [
            { ...response.results[0]!.timeseries[0]!, samples: { t: [1000, 2000], v: Float64Array.of(1.5, -3) } },
          ],
        },
      ],
    });
  });

  it("ChunkedReadResponse: chunk bytes, encodings and query index", () => {
    const message = {
      queryIndex: 2,
      chunkedSeries: [
        {
          labels: [
            { name: "__name__", value: "up" },
            { name: "job", value: "node" },
          ],
          chunks: [
            { minTimeMs: 1000, maxTimeMs: 9000, type: 1, data: Uint8Array.of(0, 3, 200, 1) },
            { minTimeMs: 9500, maxTimeMs: 9500, type: 3, data: Uint8Array.of(7) },
          ],
        },
      ],
    };
    const decoded = toObject(ChunkedReadResponseType, encodeChunkedReadResponse(message));
    expect(decoded).toEqual({
      query_index: 2,
      chunked_series: [
        {
          labels: message.chunkedSeries[0]!.labels,
          chunks: [
            { min_time_ms: 1000, max_time_ms: 9000, type: 1, data: Uint8Array.of(0, 3, 200, 1) },
            { min_time_ms: 9500, max_time_ms: 9500, type: 3, data: Uint8Array.of(7) },
          ],
        },
      ],
    });
    const theirs = ChunkedReadResponseType.encode(ChunkedReadResponseType.fromObject(decoded)).finish();
    // protobufjs hands out Node Buffers; compare chunk bytes as plain Uint8Arrays.
    const ours = decodeChunkedReadResponse(theirs);
    for (const series of ours.chunkedSeries)
      for (const chunk of series.chunks) chunk.data = Uint8Array.from(chunk.data);
    expect(ours).toEqual(message);
  });
});
