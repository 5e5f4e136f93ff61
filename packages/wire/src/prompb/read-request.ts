import { ProtobufDecodeError } from "../protobuf/errors";
import { ProtoReader } from "../protobuf/reader";
import { WireType } from "../protobuf/wire-type";
import { ProtoWriter } from "../protobuf/writer";
import { readString } from "./strings";
import type { LabelMatcher, ReadHints, ReadQuery, ReadRequest } from "./types";

const LD = WireType.LengthDelimited;
const VARINT = WireType.Varint;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/** `prometheus.LabelMatcher.Type` in enum order: EQ, NEQ, RE, NRE. */
const MATCHER_TYPES: readonly LabelMatcher["type"][] = ["=", "!=", "=~", "!~"];

/** Encodes a `prometheus.ReadRequest` (uncompressed; remote read sends it Snappy-compressed). */
export function encodeReadRequest(request: ReadRequest): Uint8Array {
  const w = new ProtoWriter(256);
  for (const query of request.queries) {
    w.fork(1);
    if (query.startTimestampMs !== 0) w.tag(1, VARINT).int64(query.startTimestampMs);
    if (query.endTimestampMs !== 0) w.tag(2, VARINT).int64(query.endTimestampMs);
    for (const m of query.matchers) {
      w.fork(3);
      const type = MATCHER_TYPES.indexOf(m.type);
      if (type > 0) w.tag(1, VARINT).uint32(type);
      if (m.name !== "") w.tag(2, LD).string(m.name);
      if (m.value !== "") w.tag(3, LD).string(m.value);
      w.join();
    }
    if (query.hints) writeHints(w, query.hints);
    w.join();
  }
  if (request.acceptedResponseTypes.length > 0) w.packedUint32(2, request.acceptedResponseTypes);
  return w.finish();
}

function writeHints(w: ProtoWriter, hints: ReadHints): void {
  w.fork(4);
  if (hints.stepMs !== 0) w.tag(1, VARINT).int64(hints.stepMs);
  if (hints.func !== "") w.tag(2, LD).string(hints.func);
  if (hints.startMs !== 0) w.tag(3, VARINT).int64(hints.startMs);
  if (hints.endMs !== 0) w.tag(4, VARINT).int64(hints.endMs);
  for (const name of hints.grouping) w.tag(5, LD).string(name);
  if (hints.by) w.tag(6, VARINT).bool(true);
  if (hints.rangeMs !== 0) w.tag(7, VARINT).int64(hints.rangeMs);
  w.join();
}

/** Decodes an uncompressed `prometheus.ReadRequest`; malformed bytes throw {@link ProtobufDecodeError}. */
export function decodeReadRequest(bytes: Uint8Array): ReadRequest {
  const r = new ProtoReader(bytes);
  const queries: ReadQuery[] = [];
  const acceptedResponseTypes: number[] = [];
  while (r.pos < r.end) {
    const t = r.uint32();
    if (t === tag(1, LD)) queries.push(readQuery(r, r.messageEnd()));
    else if (t === tag(2, LD)) {
      const end = r.messageEnd();
      while (r.pos < end) acceptedResponseTypes.push(r.int32());
      if (r.pos !== end) throw r.error("packed accepted_response_types overruns its length");
    } else if (t === tag(2, VARINT)) acceptedResponseTypes.push(r.int32());
    else r.skip(t & 7);
  }
  return { queries, acceptedResponseTypes };
}

function readQuery(r: ProtoReader, end: number): ReadQuery {
  const query: ReadQuery = { startTimestampMs: 0, endTimestampMs: 0, matchers: [] };
  while (r.pos < end) {
    const t = r.uint32();
    if (t === tag(1, VARINT)) query.startTimestampMs = r.int64();
    else if (t === tag(2, VARINT)) query.endTimestampMs = r.int64();
    else if (t === tag(3, LD)) query.matchers.push(readMatcher(r, r.messageEnd(end)));
    else if (t === tag(4, LD)) query.hints = readHints(r, r.messageEnd(end));
    else r.skip(t & 7, end);
  }
  if (r.pos !== end) throw r.error("query overruns its length");
  return query;
}

function readMatcher(r: ProtoReader, end: number): LabelMatcher {
  const start = r.pos;
  let typeId = 0;
  let name = "";
  let value = "";
  while (r.pos < end) {
    const t = r.uint32();
    if (t === tag(1, VARINT)) typeId = r.int32();
    else if (t === tag(2, LD)) name = readString(r, end);
    else if (t === tag(3, LD)) value = readString(r, end);
    else r.skip(t & 7, end);
  }
  if (r.pos !== end) throw r.error("label matcher overruns its length");
  const type = MATCHER_TYPES[typeId];
  if (type === undefined) throw new ProtobufDecodeError(`unknown label matcher type ${typeId}`, start);
  return { type, name, value };
}

function readHints(r: ProtoReader, end: number): ReadHints {
  const hints: ReadHints = { stepMs: 0, func: "", startMs: 0, endMs: 0, grouping: [], by: false, rangeMs: 0 };
  while (r.pos < end) {
    const t = r.uint32();
    if (t === tag(1, VARINT)) hints.stepMs = r.int64();
    else if (t === tag(2, LD)) hints.func = readString(r, end);
    else if (t === tag(3, VARINT)) hints.startMs = r.int64();
    else if (t === tag(4, VARINT)) hints.endMs = r.int64();
    else if (t === tag(5, LD)) hints.grouping.push(readString(r, end));
    else if (t === tag(6, VARINT)) hints.by = r.bool();
    else if (t === tag(7, VARINT)) hints.rangeMs = r.int64();
    else r.skip(t & 7, end);
  }
  if (r.pos !== end) throw r.error("read hints overrun their length");
  return hints;
}
