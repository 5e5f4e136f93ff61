import type { PositionRange } from "./ast";

/**
 * One syntax or type error with the range of query text it concerns. `message` reads like Prometheus's
 * `1:5: parse error: unexpected ...` (line and 1-based column of the range start); `detail` is the bare reason.
 */
export class ParseError extends Error {
  override readonly name = "ParseError";

  constructor(
    readonly detail: string,
    readonly positionRange: PositionRange,
    readonly query: string,
  ) {
    super(`${positionPrefix(query, positionRange.start)} parse error: ${detail}`);
  }
}

/**
 * Everything wrong with one query. Its message is the first error's, as Prometheus reports it. Packages that must
 * not import HTTP code expose the API error category as `errorType` (always `bad_data` for a query that does not
 * parse).
 */
export class ParseErrors extends Error {
  override readonly name = "ParseErrors";
  readonly errorType = "bad_data" as const;

  constructor(readonly errors: readonly ParseError[]) {
    super(errors.length > 0 ? errors[0].message : "error contains no error message");
  }
}

/**
 * `line:column:` of a string index, both 1-based, as Prometheus prints positions. Prometheus counts the column in
 * UTF-8 bytes, so it is counted so here too: the same query gives the same message.
 */
export function positionPrefix(query: string, index: number): string {
  if (index < 0 || index > query.length) return "invalid position:";
  let line = 1;
  let lastLineBreak = -1;
  for (let i = 0; i < index; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lastLineBreak = i;
    }
  }
  return `${line}:${utf8Length(query, lastLineBreak + 1, index) + 1}:`;
}

function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < to) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
