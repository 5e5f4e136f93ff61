/**
 * The PromQL lexer: turns query text into tokens with positions. Keywords are not decided here: `sum`, `by`,
 * `offset`, `and`, `Inf` ... arrive as identifiers and the parser decides from context, which lets label names and
 * metric names reuse keyword spellings where Prometheus allows it.
 */

import { parseDurationMs } from "../duration";
import type { PositionRange } from "./ast";

export type TokenKind =
  | "identifier"
  | "number"
  | "duration"
  | "string"
  | "("
  | ")"
  | "{"
  | "}"
  | "["
  | "]"
  | ","
  | ":"
  | "@"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "^"
  | "="
  | "=="
  | "!="
  | "=~"
  | "!~"
  | "<"
  | "<="
  | "</"
  | ">/"
  | ">"
  | ">="
  | "eof"
  /** A lexical error; `text` is the message. Always the last token. */
  | "error";

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** Numbers and durations: the value in seconds. */
  number?: number;
  /** Strings: the unquoted value. */
  string?: string;
  pos: PositionRange;
}

/** A lexical error (unterminated string, bad escape, bad number ...), with where it happened. */
export class LexError extends Error {
  override readonly name = "LexError";
  constructor(
    readonly detail: string,
    readonly positionRange: PositionRange,
  ) {
    super(detail);
  }
}

// Scans the longest duration-looking prefix: units in strictly decreasing order, each at most once.
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?/;
const HEX_RE = /^0[xX](?:_?[0-9a-fA-F])+/;
const DECIMAL_RE = /^(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?/;
const UTF8 = new TextEncoder();
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const ALNUM = /[A-Za-z0-9_]/;

/** Parse a number the way Prometheus does: Go integer syntax first (hex, octal `010`), then float syntax. */
export function parseNumberText(text: string): number {
  const clean = text.replace(/_/g, "");
  if (/^0[xX][0-9a-fA-F]+$/.test(clean)) return Number.parseInt(clean.slice(2), 16);
  if (/^0[0-7]+$/.test(clean)) return Number.parseInt(clean.slice(1), 8);
  return Number(clean);
}

/**
 * Tokenize a query. A lexical error does not throw: it ends the token list with an `error` token, so that the parser
 * reports whichever comes first in the text, a syntax error or this one (as Prometheus's lexer, which runs ahead of
 * the parser token by token). Like Prometheus's lexer it also checks that parentheses and brackets balance, and it
 * reads the inside of `{...}` (label matchers) and `[...]` (durations) with their own rules.
 */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  try {
    lexInto(input, tokens);
  } catch (err) {
    if (!(err instanceof LexError)) throw err;
    const end = Math.min(err.positionRange.end, input.length);
    tokens.push({ kind: "error", text: err.detail, pos: { start: Math.min(err.positionRange.start, end), end } });
  }
  return tokens;
}

const OUTSIDE_TWO_CHAR: ReadonlySet<string> = new Set(["==", "!=", "<=", ">=", "</", ">/"]);
const INSIDE_BRACES_TWO_CHAR: ReadonlySet<string> = new Set(["!=", "=~", "!~"]);

function lexInto(input: string, tokens: Token[]): void {
  let i = 0;
  let parenDepth = 0;
  let inBraces = false;
  let bracketOpen = false;

  const push = (kind: TokenKind, start: number, end: number, extra: Partial<Token> = {}): void => {
    tokens.push({ kind, text: input.slice(start, end), pos: { start, end }, ...extra });
  };
  const fail = (detail: string, start: number, end: number): never => {
    throw new LexError(detail, { start, end });
  };

  while (i < input.length) {
    const c = input[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < input.length && input[i] !== "\n") i++;
      continue;
    }
    const start = i;
    const cp = input.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);

    if (inBraces) {
      // Label matchers: names (identifiers or strings), matching operators, strings, commas.
      if (c === '"' || c === "'" || c === "`") {
        const { value, end } = lexString(input, i);
        push("string", start, end, { string: value });
        i = end;
      } else if (IDENT_START.test(c)) {
        while (i < input.length && IDENT_PART.test(input[i])) i++;
        push("identifier", start, i);
      } else if (INSIDE_BRACES_TWO_CHAR.has(input.slice(i, i + 2))) {
        push(input.slice(i, i + 2) as TokenKind, start, i + 2);
        i += 2;
      } else if (c === "=" || c === ",") {
        push(c, start, i + 1);
        i++;
      } else if (c === "}") {
        push("}", start, i + 1);
        inBraces = false;
        i++;
      } else if (c === "!") {
        fail(`unexpected character after '!' inside braces: ${quoteChar(input[i + 1])}`, start, i + 1);
      } else {
        fail(`unexpected character inside braces: ${quoteChar(ch)}`, start, i + ch.length);
      }
      continue;
    }

    if (c === '"' || c === "'" || c === "`") {
      if (bracketOpen) fail(`unexpected character in duration expression: ${quoteChar(c)}`, start, i + 1);
      const { value, end } = lexString(input, i);
      push("string", start, end, { string: value });
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(input[i + 1] ?? ""))) {
      i = lexNumberOrDuration(input, i, push);
      continue;
    }
    if (IDENT_START.test(c) || (c === ":" && !bracketOpen)) {
      // Inside `[...]`, `:` separates range and step rather than continuing an identifier.
      while (i < input.length && (IDENT_PART.test(input[i]) || (!bracketOpen && input[i] === ":"))) i++;
      push("identifier", start, i);
      continue;
    }
    const two = input.slice(i, i + 2);
    if (OUTSIDE_TWO_CHAR.has(two)) {
      push(two as TokenKind, start, i + 2);
      i += 2;
      continue;
    }
    switch (c) {
      case "(":
        parenDepth++;
        break;
      case ")":
        if (parenDepth === 0) fail("unexpected right parenthesis ')'", i + 1, i + 1);
        parenDepth--;
        break;
      case "{":
        inBraces = true;
        break;
      case "}":
        fail(`unexpected character: ${quoteChar(c)}`, start, i + 1);
        break;
      case "[":
        if (bracketOpen) fail("unexpected left bracket '['", start, i + 1);
        bracketOpen = true;
        break;
      case "]":
        if (!bracketOpen) fail("unexpected right bracket ']'", i + 1, i + 1);
        bracketOpen = false;
        break;
      case "=":
        if (input[i + 1] === "~") fail("unexpected character after '=': '~'", start, i + 2);
        break;
      case "!":
        fail(`unexpected character after '!': ${quoteChar(input[i + 1])}`, start, i + 2);
        break;
    }
    switch (c) {
      case "(":
      case ")":
      case "{":
      case "[":
      case "]":
      case ",":
      case ":":
      case "@":
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
      case "^":
      case "=":
      case "<":
      case ">":
        push(c, start, i + 1);
        i++;
        continue;
      default:
        fail(`unexpected character: ${quoteChar(ch)}`, start, i + ch.length);
    }
  }
  if (inBraces) fail("unexpected end of input inside braces", input.length, input.length);
  if (parenDepth > 0) fail("unclosed left parenthesis", input.length, input.length);
  tokens.push({ kind: "eof", text: "", pos: { start: input.length, end: input.length } });
}

function quoteChar(c: string | undefined): string {
  if (c === undefined) return "end of input";
  return goQuoteRune(c);
}

/** Go's `%#U` of a rune: `U+0063 'c'`. */
function goUnicodeRune(c: string): string {
  const hex = (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return `U+${hex} ${goQuoteRune(c)}`;
}

/** Go's `%q` of a rune: `'a'`, `'\''`, `'\n'`. */
function goQuoteRune(c: string): string {
  const escapes: Record<string, string> = { "'": "\\'", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r" };
  return `'${escapes[c] ?? c}'`;
}

function lexNumberOrDuration(
  input: string,
  start: number,
  push: (kind: TokenKind, start: number, end: number, extra?: Partial<Token>) => void,
): number {
  // Match against the number-like run only, rather than copying the rest of the query for every number.
  let runEnd = start;
  while (
    runEnd < input.length &&
    (ALNUM.test(input[runEnd]) ||
      input[runEnd] === "." ||
      ((input[runEnd] === "+" || input[runEnd] === "-") && /[eE]/.test(input[runEnd - 1])))
  ) {
    runEnd++;
  }
  const rest = input.slice(start, runEnd);
  // A number directly followed by a letter, digit or dot is malformed (`1.5h`, `2.5.`, `0deadbeef`).
  const followedByAlnum = (len: number): boolean => ALNUM.test(input[start + len] ?? "") || input[start + len] === ".";
  const bad = (len: number): LexError => {
    let end = start + len;
    while (end < input.length && (ALNUM.test(input[end]) || input[end] === ".")) end++;
    return new LexError(`bad number or duration syntax: "${input.slice(start, end)}"`, { start, end });
  };

  const hex = HEX_RE.exec(rest);
  if (hex) {
    if (followedByAlnum(hex[0].length)) throw bad(hex[0].length);
    push("number", start, start + hex[0].length, { number: parseNumberText(hex[0]) });
    return start + hex[0].length;
  }
  const duration = DURATION_RE.exec(rest);
  if (
    duration &&
    duration[0].length > 0 &&
    !followedByAlnum(duration[0].length) &&
    input[start + duration[0].length] !== "."
  ) {
    const ms = parseDurationMs(duration[0]);
    if (ms === null) throw bad(duration[0].length);
    push("duration", start, start + duration[0].length, { number: ms / 1000 });
    return start + duration[0].length;
  }
  const decimal = DECIMAL_RE.exec(rest);
  if (!decimal || followedByAlnum(decimal[0].length)) throw bad(decimal ? decimal[0].length : 1);
  push("number", start, start + decimal[0].length, { number: parseNumberText(decimal[0]) });
  return start + decimal[0].length;
}

/**
 * Read a quoted string starting at `start` (the quote). Double and single quotes follow Go's escape rules; backticks
 * are raw. Byte escapes (`\xNN`, octal) are assembled as UTF-8; bytes that do not form valid UTF-8 become the lone
 * surrogates U+DC80..U+DCFF so that no information is lost (see ast.ts).
 */
function lexString(input: string, start: number): { value: string; end: number } {
  const quote = input[start];
  let i = start + 1;
  if (quote === "`") {
    const close = input.indexOf("`", i);
    if (close < 0) throw new LexError("unterminated raw string", { start, end: input.length });
    return { value: input.slice(i, close), end: close + 1 };
  }
  const bytes: number[] = [];
  const pushCodePoint = (cp: number): void => {
    if (cp < 0x80) bytes.push(cp);
    else for (const b of UTF8.encode(String.fromCodePoint(cp))) bytes.push(b);
  };
  const digitsOf = (n: number, valid: RegExp, escStart: number): string => {
    for (let k = 0; k < n; k++) {
      const ch = input[i + k];
      if (ch === undefined) throw new LexError("escape sequence not terminated", { start: escStart, end: i + k });
      if (!valid.test(ch)) {
        throw new LexError(`illegal character ${goUnicodeRune(ch)} in escape sequence`, {
          start: escStart,
          end: i + k + 1,
        });
      }
    }
    const digits = input.slice(i, i + n);
    i += n;
    return digits;
  };
  const hexDigits = (n: number, escStart: number): number => Number.parseInt(digitsOf(n, /[0-9a-fA-F]/, escStart), 16);
  for (;;) {
    if (i >= input.length || input[i] === "\n") {
      throw new LexError("unterminated quoted string", { start, end: i });
    }
    const c = input[i];
    if (c === quote) {
      i++;
      break;
    }
    if (c !== "\\") {
      const cp = input.codePointAt(i) ?? 0;
      pushCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const escStart = i;
    i++;
    const e = input[i];
    i++;
    switch (e) {
      case "a":
        bytes.push(7);
        break;
      case "b":
        bytes.push(8);
        break;
      case "f":
        bytes.push(12);
        break;
      case "n":
        bytes.push(10);
        break;
      case "r":
        bytes.push(13);
        break;
      case "t":
        bytes.push(9);
        break;
      case "v":
        bytes.push(11);
        break;
      case "\\":
        bytes.push(92);
        break;
      case "x":
        bytes.push(hexDigits(2, escStart));
        break;
      case "u":
      case "U": {
        const cp = hexDigits(e === "u" ? 4 : 8, escStart);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) {
          throw new LexError("invalid Unicode code point in escape sequence", { start: escStart, end: i });
        }
        pushCodePoint(cp);
        break;
      }
      default:
        if (e === quote) {
          bytes.push(e.charCodeAt(0));
        } else if (e !== undefined && /[0-7]/.test(e)) {
          i--;
          const value = Number.parseInt(digitsOf(3, /[0-7]/, escStart), 8);
          if (value > 255) throw new LexError("octal escape value > 255", { start: escStart, end: i });
          bytes.push(value);
        } else if (e === undefined || e === "\n") {
          throw new LexError("escape sequence not terminated", { start: escStart, end: i });
        } else {
          const cp = input.codePointAt(i - 1) ?? 0;
          throw new LexError(`unknown escape sequence ${goUnicodeRune(String.fromCodePoint(cp))}`, {
            start: escStart,
            end: i,
          });
        }
    }
  }
  return { value: decodeUtf8Escaping(bytes), end: i };
}

/** UTF-8 decoding where each byte of an invalid sequence becomes U+DC00+byte (Python's "surrogateescape"). */
export function decodeUtf8Escaping(bytes: readonly number[]): string {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      min = 0x10000;
    }
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const cont = bytes[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cont & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp < 0xe000)) {
      out += String.fromCodePoint(cp);
      i += need + 1;
    } else {
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
  }
  return out;
}
