import { ProtobufDecodeError } from "../protobuf/errors";
import type { ProtoReader } from "../protobuf/reader";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A length-delimited string field; invalid UTF-8 is a decode error, as Go's proto3 strings require. */
export function readString(r: ProtoReader, limit: number): string {
  const start = r.pos;
  const bytes = r.bytes(limit);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtobufDecodeError("invalid UTF-8 in a string field", start);
  }
}
