// The generated-decoder baseline for tests and benchmarks only (protobufjs is a dev dependency): protobufjs
// compiles each message type into specialised encode/decode functions at load time, the same code its static
// code generator (pbjs) writes out. The schema below is the wire layout of Prometheus's prompb messages, written
// down field by field (without the gogoproto options, which only affect Go).
import protobuf from "protobufjs";

const SCHEMA = `
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
message MetricMetadata { int32 type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
message Sample { double value = 1; int64 timestamp = 2; }
message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
message BucketSpan { sint32 offset = 1; uint32 length = 2; }
message Histogram {
  oneof count { uint64 count_int = 1; double count_float = 2; }
  double sum = 3; sint32 schema = 4; double zero_threshold = 5;
  oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
  repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9; repeated double negative_counts = 10;
  repeated BucketSpan positive_spans = 11; repeated sint64 positive_deltas = 12; repeated double positive_counts = 13;
  int32 reset_hint = 14; int64 timestamp = 15; repeated double custom_values = 16;
}
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
message Label { string name = 1; string value = 2; }
`;

const SCHEMA_V2 = `
syntax = "proto3";
package io.prometheus.write.v2;
message Request { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
message TimeSeries {
  repeated uint32 labels_refs = 1; repeated Sample samples = 2; repeated Histogram histograms = 3;
  repeated Exemplar exemplars = 4; Metadata metadata = 5;
}
message Exemplar { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
message Sample { double value = 1; int64 timestamp = 2; int64 start_timestamp = 3; }
message Metadata { int32 type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
message BucketSpan { sint32 offset = 1; uint32 length = 2; }
message Histogram {
  oneof count { uint64 count_int = 1; double count_float = 2; }
  double sum = 3; sint32 schema = 4; double zero_threshold = 5;
  oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
  repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9; repeated double negative_counts = 10;
  repeated BucketSpan positive_spans = 11; repeated sint64 positive_deltas = 12; repeated double positive_counts = 13;
  int32 reset_hint = 14; int64 timestamp = 15; repeated double custom_values = 16; int64 start_timestamp = 17;
}
`;

/** protobufjs's compiled `prometheus.WriteRequest` type. */
export const ProtobufjsWriteRequest = protobuf
  .parse(SCHEMA, { keepCase: true })
  .root.lookupType("prometheus.WriteRequest");

/** protobufjs's compiled `io.prometheus.write.v2.Request` type. */
export const ProtobufjsWriteRequestV2 = protobuf
  .parse(SCHEMA_V2, { keepCase: true })
  .root.lookupType("io.prometheus.write.v2.Request");

/** Decodes to plain objects with int64 fields as numbers, as a caller of a generated decoder would use them. */
export function decodeWithProtobufjs(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false, arrays: true }) as Record<string, unknown>;
}
