import { describe, expect, it } from "vitest";
import { ParseError, ParseErrors, positionPrefix } from "./errors";
import { parseExpr } from "./parser";

function errorsOf(query: string): ParseErrors {
  try {
    parseExpr(query);
  } catch (err) {
    if (err instanceof ParseErrors) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(query)} not to parse`);
}

// [query, the whole message Prometheus-style, the character range of the first error]
const CASES: ReadonlyArray<[string, string, [number, number]]> = [
  ["", "1:1: parse error: no expression found in input", [0, 0]],
  ["# only a comment", "1:1: parse error: no expression found in input", [0, 0]],
  ["{}", "1:1: parse error: vector selector must contain at least one non-empty matcher", [0, 2]],
  [`{a=~".*", b=""}`, "1:1: parse error: vector selector must contain at least one non-empty matcher", [0, 15]],
  ["rate(x)", '1:6: parse error: expected type range vector in call to function "rate", got instant vector', [5, 6]],
  ["sum(x[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector", [4, 9]],
  ["1 + x[5m]", "1:5: parse error: binary expression must contain only scalar and instant vector types", [4, 9]],
  ["x and 1", '1:1: parse error: set operator "and" not allowed in binary scalar expression', [0, 7]],
  ["1 > 2", "1:3: parse error: comparisons between scalars must use BOOL modifier", [2, 2]],
  ["1 + bool 2", "1:3: parse error: bool modifier can only be used on comparison operators", [2, 7]],
  ["label_join(x)", '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1', [0, 13]],
  ["round(x, 1, 2)", '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3', [0, 14]],
  ["time(1)", '1:1: parse error: expected 0 argument(s) in call to "time", got 1', [0, 7]],
  ["nosuch(1)", '1:1: parse error: unknown function with name "nosuch"', [0, 6]],
  [
    "topk(x)",
    "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1",
    [0, 7],
  ],
  ["count_values(1, x)", "1:14: parse error: expected type string in aggregation parameter, got scalar", [13, 14]],
  ['topk("a", x)', "1:6: parse error: expected type scalar in aggregation parameter, got string", [5, 8]],
  ["x * on(a) group_left(a) y", '1:3: parse error: label "a" must not occur in ON and GROUP clause at once', [2, 22]],
  ["x and on(a) group_left y", '1:1: parse error: no grouping allowed for "and" operation', [0, 24]],
  ["1 + on(a) x", "1:1: parse error: vector matching only allowed between instant vectors", [0, 11]],
  ["x + fill(0) 1", "1:1: parse error: fill modifiers only allowed between instant vectors", [0, 13]],
  ["x or fill(0) y", '1:1: parse error: fill modifiers not allowed for "or" operation', [0, 14]],
  ["x + fill(0) fill_left(1) y", '1:13: parse error: duplicate or conflicting fill modifier "fill_left"', [12, 21]],
  [
    '-"a"',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"',
    [0, 4],
  ],
  ["x[5m:1m][1m:1m]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead", [0, 15]],
  ["x[0s]", "1:3: parse error: duration must be greater than 0", [2, 4]],
  ["x[-5m]", "1:3: parse error: duration must be greater than 0", [2, 5]],
  ["x[1m:0s]", "1:6: parse error: duration must be greater than 0", [5, 7]],
  ["x[5m/0]", "1:5: parse error: division by zero", [4, 5]],
  ["x[5m%0]", "1:5: parse error: modulo by zero", [4, 5]],
  ["x[1m] offset 1m [1m]", "1:17: parse error: ranges only allowed for vector selectors", [16, 20]],
  ["x offset 1m[1m]", "1:12: parse error: no offset modifiers allowed before range", [11, 15]],
  ["x @ 1 [1m]", "1:7: parse error: no @ modifiers allowed before range", [6, 10]],
  ["x offset 5m offset 1m", "1:1: parse error: offset may not be set multiple times", [0, 11]],
  ["x @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times", [0, 5]],
  [
    "sum(x) offset 1m",
    "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
    [0, 6],
  ],
  [
    "rate(x[1m]) @ 1",
    "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
    [0, 11],
  ],
  ["x @ Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf", [0, 1]],
  ["x @ start", "1:5: parse error: unexpected <start> in @, expected timestamp", [4, 9]],
  [
    "x offset foo",
    '1:10: parse error: unexpected identifier "foo" in offset, expected number, duration, step(), or range()',
    [9, 12],
  ],
  [
    "x offset",
    "1:9: parse error: unexpected end of input in offset, expected number, duration, step(), or range()",
    [8, 8],
  ],
  [
    "x[]",
    '1:3: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()',
    [2, 3],
  ],
  ["x[5m", "1:2: parse error: unclosed left bracket", [1, 2]],
  ["(1", "1:3: parse error: unclosed left parenthesis", [2, 2]],
  ["rate(x[5m]", "1:11: parse error: unclosed left parenthesis", [10, 10]],
  [")", "1:2: parse error: unexpected right parenthesis ')'", [1, 1]],
  ["x)", "1:3: parse error: unexpected right parenthesis ')'", [2, 2]],
  ["x]", "1:3: parse error: unexpected right bracket ']'", [2, 2]],
  ["1 +", "1:4: parse error: unexpected end of input", [3, 3]],
  ["foo bar", '1:5: parse error: unexpected identifier "bar"', [4, 7]],
  ['x "abc"', '1:3: parse error: unexpected string "\\"abc\\""', [2, 7]],
  ['x "abcdefghijklmnop"', '1:3: parse error: unexpected string "\\"abcdefghi"...', [2, 20]],
  ["x + 1 bool", "1:7: parse error: unexpected <bool>", [6, 10]],
  ["sum by (a) (x) by (b)", "1:16: parse error: unexpected <by>", [15, 17]],
  ["rate(x[5m],)", "1:11: parse error: trailing commas not allowed in function call args", [10, 11]],
  ['foo{a="b" c="d"}', '1:11: parse error: unexpected identifier "c" in label matching, expected "," or "}"', [10, 11]],
  ['foo{a="b"', "1:10: parse error: unexpected end of input inside braces", [9, 9]],
  ['foo{a~"b"}', "1:6: parse error: unexpected character inside braces: '~'", [5, 6]],
  ['foo{a=~"("}', "1:5: parse error: error parsing regexp: missing closing ): `(`", [4, 10]],
  ['sum by ("") (x)', 'parse error: invalid label name for grouping: ""', [8, 10]],
  ['a{__name__="b"}', '1:1: parse error: metric name must not be set twice: "a" or "b"', [0, 15]],
  ["x ! y", "1:3: parse error: unexpected character after '!': ' '", [2, 4]],
  ['"unterminated', "1:1: parse error: unterminated quoted string", [0, 13]],
  ["`unterminated", "1:1: parse error: unterminated raw string", [0, 13]],
  ['"\\q"', "1:2: parse error: unknown escape sequence U+0071 'q'", [1, 3]],
  ['"\\x1"', "1:2: parse error: illegal character U+0022 '\"' in escape sequence", [1, 5]],
  ["1.5h", '1:1: parse error: bad number or duration syntax: "1.5h"', [0, 4]],
  ["2.5.", '1:1: parse error: bad number or duration syntax: "2.5."', [0, 4]],
  ["foo offset 9.5e10", "1:12: parse error: duration out of range", [11, 17]],
  [
    'info(rate(x[5m]), target_info{foo="bar"})',
    "1:19: parse error: expected label selectors only, got vector selector instead",
    [18, 40],
  ],
  ['info(x, {foo="bar"} == 1)', "1:9: parse error: expected label selectors only", [8, 24]],
  ["-=", '1:2: parse error: unexpected "="', [1, 2]],
  ["++-++-+-+-<", "1:11: parse error: unexpected <op:<>", [10, 11]],
  ["a>b()", '1:3: parse error: unknown function with name "b"', [2, 3]],
  ["1 =~ 1", "1:3: parse error: unexpected character after '=': '~'", [2, 4]],
  ["1 !~ 1", "1:3: parse error: unexpected character after '!': '~'", [2, 4]],
  ["foo{1}", "1:5: parse error: unexpected character inside braces: '1'", [4, 5]],
  ["foo{__name__= =}", '1:15: parse error: unexpected "=" in label matching, expected string', [14, 15]],
  ["foo{,}", '1:5: parse error: unexpected "," in label matching, expected identifier or "}"', [4, 5]],
  ["}", "1:1: parse error: unexpected character: '}'", [0, 1]],
  ['foo["5m"]', "1:5: parse error: unexpected character in duration expression: '\"'", [4, 5]],
  ['foo{bar="baz"}[', "1:16: parse error: unexpected end of input in duration expression", [15, 15]],
  ["sum () by (test)", "1:1: parse error: no arguments for aggregate expression provided", [0, 16]],
  ["a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>", [10, 18]],
  ['"\\c"', "1:2: parse error: unknown escape sequence U+0063 'c'", [1, 3]],
  [
    "x anchored smoothed",
    "1:12: parse error: anchored and smoothed modifiers may be used only once per selector and not together",
    [11, 19],
  ],
];

describe("parse errors", () => {
  it.each(CASES)("%j", (query, message, [start, end]) => {
    const err = errorsOf(query);
    expect(err.message.endsWith(message) || err.message === message).toBe(true);
    expect(err.message).toMatch(/^\d+:\d+: parse error: /);
    expect(err.errors[0].positionRange).toEqual({ start, end });
    expect(err.errorType).toBe("bad_data");
  });

  it("refuses trees deeper than the limit instead of overflowing the stack", () => {
    expect(errorsOf("1" + "+1".repeat(5000)).message).toBe(
      "1:1: parse error: expression nested too deeply (more than 1000 levels)",
    );
    expect(errorsOf("(".repeat(3000) + "1" + ")".repeat(3000)).message).toMatch(/nested too deeply/);
    expect(() => parseExpr("1" + "+1".repeat(900))).not.toThrow();
  });

  it("reports the line and column of multi-line queries", () => {
    const err = errorsOf("sum(\n  rate(x[5m])\n) +\n  bar{");
    expect(err.message).toBe("4:7: parse error: unexpected end of input inside braces");
  });

  it("goes on after a trailing comma, as Prometheus does", () => {
    expect(errorsOf("topk(some_metric,)").errors.map((e) => [e.detail, e.positionRange])).toEqual([
      ["trailing commas not allowed in function call args", { start: 16, end: 17 }],
      ["wrong number of arguments for aggregate expression provided, expected 2, got 1", { start: 0, end: 18 }],
    ]);
  });

  it("collects every type error, the first one giving the message", () => {
    const err = errorsOf("rate(x) + sum(y[1m])");
    expect(err.errors.map((e) => e.detail)).toEqual([
      'expected type range vector in call to function "rate", got instant vector',
      "expected type instant vector in aggregation expression, got range vector",
    ]);
    expect(err.message).toBe(err.errors[0].message);
  });

  it("formats positions like Prometheus (1-based column, line counted by newlines)", () => {
    expect(positionPrefix("abc", 0)).toBe("1:1:");
    expect(positionPrefix("a\nbc", 3)).toBe("2:2:");
    expect(positionPrefix("abc", 10)).toBe("invalid position:");
    // Columns count UTF-8 bytes, as Go's string offsets do: "é" is two bytes, "😀" four.
    expect(positionPrefix(`{"é😀"} +`, 7)).toBe("1:11:");
    expect(errorsOf('{"é"} + 1 +').message).toBe("1:13: parse error: unexpected end of input");
    expect(new ParseError("boom", { start: 2, end: 3 }, "a\nb").message).toBe("2:1: parse error: boom");
  });
});
