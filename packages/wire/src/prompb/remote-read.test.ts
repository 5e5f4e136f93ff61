import { describe, expect, it } from "vitest";
import { crc32c } from "../crc32c";
import { ProtobufDecodeError } from "../protobuf/errors";
import {
  ChunkedFrameError,
  decodeChunkedReadResponse,
  encodeChunkedReadResponse,
  frameChunkedReadResponse,
  readChunkedFrames,
} from "./chunked-read-response";
import { decodeReadRequest, encodeReadRequest } from "./read-request";
import { decodeReadResponse, encodeReadResponse } from "./read-response";
import type { ReadRequest, RemoteHistogram } from "./types";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

describe("prometheus.ReadRequest", () => {
  const request: ReadRequest = {
    queries: [
      {
        startTimestampMs: 1_700_000_000_000,
        endTimestampMs: 1_700_000_300_000,
        matchers: [
          { type: "=", name: "__name__", value: "up" },
          { type: "!=", name: "job", value: "" },
          { type: "=~", name: "instance", value: "a|b" },
          { type: "!~", name: "env", value: "dev.*" },
        ],
        hints: { stepMs: 15_000, func: "rate", startMs: 1, endMs: 2, grouping: ["job"], by: true, rangeMs: 300_000 },
      },
      { startTimestampMs: 0, endTimestampMs: 10, matchers: [{ type: "=", name: "a", value: "ü" }] },
    ],
    acceptedResponseTypes: [1, 0],
  };

  it("round-trips queries, every matcher type, hints and accepted response types", () => {
    expect(decodeReadRequest(encodeReadRequest(request))).toEqual(request);
  });

  it("writes the field numbers remote.proto and types.proto give", () => {
    const bytes = encodeReadRequest({
      queries: [{ startTimestampMs: 1, endTimestampMs: 2, matchers: [{ type: "=~", name: "a", value: "b" }] }],
      acceptedResponseTypes: [1],
    });
    // queries(1) { start(1)=1 end(2)=2 matchers(3) { type(1)=2 name(2)="a" value(3)="b" } }, accepted(2)=[1] packed
    expect(hex(bytes)).toBe("0a0e08011002" + "1a08" + "0802" + "120161" + "1a0162" + "120101");
  });

  it("accepts unpacked accepted_response_types, as older encoders send", () => {
    expect(decodeReadRequest(Uint8Array.of(0x10, 0x01, 0x10, 0x00)).acceptedResponseTypes).toEqual([1, 0]);
  });

  it("refuses truncated bytes, unknown matcher types and overrunning messages with a ProtobufDecodeError", () => {
    const bytes = encodeReadRequest(request);
    expect(() => decodeReadRequest(bytes.subarray(0, bytes.length - 3))).toThrow(ProtobufDecodeError);
    // queries { matchers { type = 7 } }
    expect(() => decodeReadRequest(Uint8Array.of(0x0a, 0x04, 0x1a, 0x02, 0x08, 0x07))).toThrow(/matcher type 7/);
    // a query of declared length 4 whose matcher claims 10 bytes
    expect(() => decodeReadRequest(Uint8Array.of(0x0a, 0x04, 0x1a, 0x0a, 0x08, 0x01))).toThrow(ProtobufDecodeError);
    expect(() => decodeReadRequest(Uint8Array.of(0x0a, 0x03, 0x1a, 0x01, 0xff))).toThrow(ProtobufDecodeError);
  });
});

describe("prometheus.ReadResponse", () => {
  const stale = new Float64Array(1);
  new Uint32Array(stale.buffer).set([0x00000002, 0x7ff00000]);
  const intHistogram: RemoteHistogram = {
    timestamp: 1_700_000_000_000,
    isFloat: false,
    counterResetHint: "notCounterReset",
    schema: -2,
    zeroThreshold: 0.001,
    zeroCount: 3,
    count: 20,
    sum: 42.5,
    positiveSpans: [
      { offset: -1, length: 2 },
      { offset: 3, length: 1 },
    ],
    positiveBuckets: [5, 2, 7],
    negativeSpans: [{ offset: 0, length: 1 }],
    negativeBuckets: [3],
    customValues: [],
  };
  const floatHistogram: RemoteHistogram = {
    ...intHistogram,
    timestamp: 1_700_000_015_000,
    isFloat: true,
    counterResetHint: "gauge",
    schema: -53,
    zeroThreshold: 0,
    zeroCount: 0,
    count: 2.5,
    positiveSpans: [{ offset: 0, length: 2 }],
    positiveBuckets: [1.5, 1],
    negativeSpans: [],
    negativeBuckets: [],
    customValues: [0.1, 1],
  };

  it("round-trips series, float samples (stale markers bit for bit) and both histogram forms", () => {
    const v = Float64Array.of(1, -2.5, 0, stale[0]!);
    const response = {
      results: [
        {
          timeseries: [
            {
              labels: [
                { name: "__name__", value: "up" },
                { name: "job", value: "api" },
              ],
              samples: { t: [1000, 2000, 3000, 4000], v },
              histograms: [],
            },
            {
              labels: [{ name: "__name__", value: "h" }],
              samples: { t: [], v: new Float64Array(0) },
              histograms: [intHistogram, floatHistogram],
            },
          ],
        },
        { timeseries: [] },
      ],
    };
    const decoded = decodeReadResponse(encodeReadResponse(response));
    expect(decoded.results).toHaveLength(2);
    const [floats, histograms] = decoded.results[0]!.timeseries;
    expect(floats!.labels).toEqual(response.results[0]!.timeseries[0]!.labels);
    expect(floats!.samples.t).toEqual([1000, 2000, 3000, 4000]);
    expect([...new Uint32Array(floats!.samples.v.buffer)]).toEqual([...new Uint32Array(v.buffer)]);
    expect(histograms!.histograms).toEqual([intHistogram, floatHistogram]);
    expect(decoded.results[1]).toEqual({ timeseries: [] });
  });

  it("writes integer histograms as deltas (field 12), as Prometheus does", () => {
    const bytes = encodeReadResponse({
      results: [
        {
          timeseries: [
            {
              labels: [],
              samples: { t: [], v: new Float64Array(0) },
              histograms: [{ ...intHistogram, negativeSpans: [], negativeBuckets: [], positiveBuckets: [5, 2, 7] }],
            },
          ],
        },
      ],
    });
    // positive_deltas: packed sint64 zigzag of [5, -3, 5] = 0a 05 0a
    expect(hex(bytes)).toContain("6203" + "0a050a");
  });
});

describe("prometheus.ChunkedReadResponse frames", () => {
  const response = {
    queryIndex: 3,
    chunkedSeries: [
      {
        labels: [{ name: "__name__", value: "up" }],
        chunks: [
          { minTimeMs: 1000, maxTimeMs: 2000, type: 1, data: Uint8Array.of(0, 2, 1, 2, 3) },
          { minTimeMs: 3000, maxTimeMs: 4000, type: 2, data: Uint8Array.of(9, 9) },
        ],
      },
    ],
  };

  it("round-trips a message", () => {
    expect(decodeChunkedReadResponse(encodeChunkedReadResponse(response))).toEqual(response);
  });

  it("frames as uvarint length, big-endian CRC-32C of the message, message", () => {
    const message = encodeChunkedReadResponse(response);
    const frame = frameChunkedReadResponse(response);
    expect(frame[0]).toBe(message.length);
    expect(new DataView(frame.buffer).getUint32(1, false)).toBe(crc32c(message));
    expect(frame.subarray(5)).toEqual(message);
    const two = new Uint8Array(frame.length * 2);
    two.set(frame);
    two.set(frameChunkedReadResponse({ ...response, queryIndex: 4 }), frame.length);
    expect(readChunkedFrames(two).map((m) => m.queryIndex)).toEqual([3, 4]);
  });

  it("refuses a frame with a wrong checksum, a truncated frame and an oversized one", () => {
    const frame = frameChunkedReadResponse(response);
    const corrupt = frame.slice();
    corrupt[corrupt.length - 1]! ^= 1;
    expect(() => readChunkedFrames(corrupt)).toThrow(ChunkedFrameError);
    expect(() => readChunkedFrames(frame.subarray(0, frame.length - 1))).toThrow(/truncated/);
    expect(() => readChunkedFrames(frame, 4)).toThrow(/over 4/);
  });
});
