import type { ProtoReader } from "../protobuf/reader";
import { WireType } from "../protobuf/wire-type";
import type { ProtoWriter } from "../protobuf/writer";
import { readString } from "./strings";
import type { Label } from "./types";

const TAG_NAME = (1 << 3) | WireType.LengthDelimited;
const TAG_VALUE = (2 << 3) | WireType.LengthDelimited;

/** Writes `prometheus.Label` messages as repeated field `field`. */
export function writeLabels(w: ProtoWriter, field: number, labels: readonly Label[]): void {
  for (const label of labels) {
    w.fork(field);
    if (label.name !== "") w.tag(1, WireType.LengthDelimited).string(label.name);
    if (label.value !== "") w.tag(2, WireType.LengthDelimited).string(label.value);
    w.join();
  }
}

/** Reads one `prometheus.Label` ending at `end`. */
export function readLabel(r: ProtoReader, end: number): Label {
  let name = "";
  let value = "";
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === TAG_NAME) name = readString(r, end);
    else if (tag === TAG_VALUE) value = readString(r, end);
    else r.skip(tag & 7, end);
  }
  return { name, value };
}
