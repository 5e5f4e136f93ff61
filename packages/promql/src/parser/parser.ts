/**
 * PromQL parser: recursive descent with precedence climbing over the lexer's tokens, then the `checkAST` type-check
 * pass (check.ts). Accepts the grammar of Prometheus 3.x with the options its test suite enables: experimental
 * functions, duration expressions (`[5m * 2]`, `offset (1h / 2)`, `step()`, `range()`, `min_of`, `max_of`), the
 * `anchored` / `smoothed` selector modifiers and the `fill` / `fill_left` / `fill_right` binary-operator modifiers.
 *
 * Precedence, lowest first: `or`; `and` `unless`; comparisons; `+` `-`; `*` `/` `%` `atan2`; unary `+` `-`; `^`
 * (right-associative). Postfix modifiers (`[range]`, `[range:step]`, `offset`, `@`, `anchored`, `smoothed`) bind
 * tighter than every operator.
 */

import { getFunction } from "../functions";
import {
  AGGREGATE_OPERATORS,
  BINARY_PRECEDENCE,
  POW_PRECEDENCE,
  childrenOf,
  AGGREGATORS_WITH_PARAM,
  type AggregateExpr,
  type AggregateOperator,
  type AtModifier,
  type BinaryExpr,
  type BinaryOperator,
  type Call,
  type DurationNode,
  type Expr,
  type FillValues,
  type LabelMatcher,
  type MatchType,
  type MatrixSelector,
  type PositionRange,
  type SubqueryExpr,
  type VectorMatching,
  type VectorSelector,
} from "./ast";
import { formatGoFixed } from "../format";
import { checkAST } from "./check";
import { evaluateDuration, isConstantDuration } from "./duration";
import { ParseError, ParseErrors } from "./errors";
import { tokenize, type Token, type TokenKind } from "./lexer";
import { compileMatcherRegex } from "./matcher-regex";
import { quoteString } from "./printer";

export interface ParseOptions {
  /**
   * Accept experimental functions and the `limitk` / `limit_ratio` aggregations (Prometheus's
   * `promql-experimental-functions`). Default true: the engine decides what it serves.
   */
  experimentalFunctions?: boolean;
}

/** Parse and type-check a PromQL expression; throws {@link ParseErrors}. */
export function parseExpr(query: string, options: ParseOptions = {}): Expr {
  const parser = new Parser(query, tokenize(query), options);
  const expr = runParser(parser, () => parser.parseQuery());
  const tooDeep = treeDepth(expr) > MAX_NESTING;
  if (tooDeep) throw new ParseErrors([new ParseError(NESTING_MESSAGE, expr.pos, query)]);
  const errors = [...parser.errors, ...checkAST(expr, query)];
  if (errors.length > 0) throw new ParseErrors(errors);
  return expr;
}

/**
 * Parse a series selector alone (`up{job="api"}`, `{__name__=~"node_.+"}`), as the `match[]` parameters of the
 * series, labels and federation APIs take it (Prometheus's `ParseMetricSelector`); throws {@link ParseErrors}.
 */
export function parseMetricSelector(input: string): LabelMatcher[] {
  const parser = new Parser(input, tokenize(input), {});
  const selector = runParser(parser, () => parser.parseSelectorOnly());
  const errors = [...parser.errors, ...checkAST(selector, input)];
  if (errors.length > 0) throw new ParseErrors(errors);
  return selector.matchers;
}

function runParser<T>(parser: Parser, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SyntaxStop) throw new ParseErrors([...parser.errors, err.error]);
    throw err;
  }
}

/**
 * How deep a tree may be. Prometheus (Go, growable stacks) has no limit; every consumer of our tree (type check,
 * printer, engine) recurses, so a query such as `1+1+...+1` with tens of thousands of operators would overflow the
 * JavaScript stack. A thousand levels is far beyond any real query.
 */
export const MAX_NESTING = 1000;
const NESTING_MESSAGE = `expression nested too deeply (more than ${MAX_NESTING} levels)`;

/** The depth of a tree, computed without recursion. */
function treeDepth(root: Expr): number {
  let max = 0;
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/** Thrown inside the parser to abandon the parse at the first syntax error. */
class SyntaxStop extends Error {
  constructor(readonly error: ParseError) {
    super(error.message);
  }
}

const SYMBOL_OPERATORS: ReadonlySet<string> = new Set([
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "</",
  ">/",
]);
const WORD_OPERATORS: ReadonlySet<string> = new Set(["and", "or", "unless", "atan2"]);
const MATCH_TYPES: ReadonlySet<string> = new Set(["=", "!=", "=~", "!~"]);

type DurationOp = "+" | "-" | "*" | "/" | "%" | "^";
const DURATION_PRECEDENCE: Readonly<Record<DurationOp, number>> = { "+": 1, "-": 1, "*": 2, "/": 2, "%": 2, "^": 3 };

const SELECTOR_MODIFIER_TARGET =
  "must be preceded by an instant vector selector or range vector selector or a subquery";

class Parser {
  readonly errors: ParseError[] = [];
  private index = 0;
  /** Nesting of `parseBinary` calls (parentheses, arguments, unary operands), bounded by MAX_NESTING. */
  private depth = 0;
  private readonly experimental: boolean;

  constructor(
    private readonly query: string,
    private readonly tokens: readonly Token[],
    options: ParseOptions,
  ) {
    this.experimental = options.experimentalFunctions ?? true;
  }

  parseQuery(): Expr {
    if (this.peek().kind === "eof") this.stop("no expression found in input", { start: 0, end: 0 });
    const expr = this.parseBinary(0);
    const next = this.peek();
    if (next.kind !== "eof") this.unexpected(next);
    return expr;
  }

  parseSelectorOnly(): VectorSelector {
    const first = this.peek();
    if (first.kind === "eof") this.stop("no expression found in input", { start: 0, end: 0 });
    let selector: VectorSelector;
    if (first.kind === "{") selector = this.parseVectorSelector(null);
    else if (first.kind === "identifier") selector = this.parseVectorSelector(this.next());
    else this.unexpected(first);
    const next = this.peek();
    if (next.kind !== "eof") this.unexpected(next);
    return selector;
  }

  // -- token helpers ------------------------------------------------------------------------------------------

  private peek(offset = 0): Token {
    const token = this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
    if (token.kind === "error") this.stop(token.text, token.pos);
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.index++;
    return token;
  }

  private isWord(token: Token, ...words: string[]): boolean {
    return token.kind === "identifier" && words.includes(token.text.toLowerCase());
  }

  private expect(kind: TokenKind, context: string): Token {
    const token = this.peek();
    if (token.kind !== kind) this.unexpected(token, context, `"${kind}"`);
    return this.next();
  }

  private stop(message: string, pos: PositionRange): never {
    throw new SyntaxStop(new ParseError(message, pos, this.query));
  }

  private unexpected(token: Token, context?: string, expected?: string): never {
    let message = `unexpected ${describeToken(token)}`;
    if (context) message += ` in ${context}`;
    if (expected) message += `, expected ${expected}`;
    this.stop(message, token.pos);
  }

  private addError(message: string, pos: PositionRange): void {
    this.errors.push(new ParseError(message, pos, this.query));
  }

  // -- expressions --------------------------------------------------------------------------------------------

  private peekBinaryOperator(): BinaryOperator | null {
    const token = this.peek();
    if (SYMBOL_OPERATORS.has(token.kind)) return token.kind as BinaryOperator;
    if (token.kind === "identifier") {
      const word = token.text.toLowerCase();
      if (WORD_OPERATORS.has(word)) return word as BinaryOperator;
    }
    return null;
  }

  private parseBinary(minPrecedence: number): Expr {
    if (++this.depth > MAX_NESTING) this.stop(NESTING_MESSAGE, this.peek().pos);
    try {
      return this.parseBinaryAtDepth(minPrecedence);
    } finally {
      this.depth--;
    }
  }

  private parseBinaryAtDepth(minPrecedence: number): Expr {
    let lhs = this.parseUnary();
    for (;;) {
      const op = this.peekBinaryOperator();
      if (op === null) break;
      const precedence = BINARY_PRECEDENCE[op];
      if (precedence < minPrecedence) break;
      this.next();
      const modifiers = this.parseBinaryModifiers();
      if (this.peek().kind === "eof") this.unexpected(this.peek());
      const rhs = this.parseBinary(op === "^" ? precedence : precedence + 1);
      const node: BinaryExpr = {
        type: "BinaryExpr",
        op,
        lhs,
        rhs,
        returnBool: modifiers.returnBool,
        vectorMatching: modifiers.vectorMatching,
        pos: { start: lhs.pos.start, end: rhs.pos.end },
      };
      lhs = node;
    }
    return lhs;
  }

  private parseBinaryModifiers(): { returnBool: boolean; vectorMatching: VectorMatching } {
    const vectorMatching: VectorMatching = {
      card: "one-to-one",
      matchingLabels: [],
      on: false,
      include: [],
      fill: { lhs: null, rhs: null },
    };
    let returnBool = false;
    if (this.isWord(this.peek(), "bool")) {
      this.next();
      returnBool = true;
    }
    if (this.isWord(this.peek(), "on", "ignoring") && this.peek(1).kind === "(") {
      vectorMatching.on = this.next().text.toLowerCase() === "on";
      vectorMatching.matchingLabels = this.parseGroupingLabels();
      if (this.isWord(this.peek(), "group_left", "group_right")) {
        const side = this.next().text.toLowerCase();
        vectorMatching.card = side === "group_left" ? "many-to-one" : "one-to-many";
        if (this.peek().kind === "(") vectorMatching.include = this.parseGroupingLabels();
      }
    } else if (this.isWord(this.peek(), "group_left", "group_right")) {
      this.unexpected(this.peek());
    }
    this.parseFillModifiers(vectorMatching.fill);
    return { returnBool, vectorMatching };
  }

  private parseFillModifiers(fill: FillValues): void {
    let sawFill = false;
    while (this.isWord(this.peek(), "fill", "fill_left", "fill_right") && this.peek(1).kind === "(") {
      const keyword = this.next();
      const which = keyword.text.toLowerCase();
      this.next();
      const value = this.parseSignedNumber("fill modifier");
      this.expect(")", "fill modifier");
      const duplicate =
        sawFill ||
        (which === "fill" && (fill.lhs !== null || fill.rhs !== null)) ||
        (which === "fill_left" && fill.lhs !== null) ||
        (which === "fill_right" && fill.rhs !== null);
      if (duplicate) this.stop(`duplicate or conflicting fill modifier "${which}"`, keyword.pos);
      if (which === "fill") {
        fill.lhs = value;
        fill.rhs = value;
        sawFill = true;
      } else if (which === "fill_left") {
        fill.lhs = value;
      } else {
        fill.rhs = value;
      }
    }
  }

  /** A numeric literal with an optional sign (fill values, `@` timestamps). */
  private parseSignedNumber(context: string): number {
    let sign = 1;
    if (this.peek().kind === "-" || this.peek().kind === "+") {
      if (this.next().kind === "-") sign = -1;
    }
    const token = this.peek();
    if (token.kind === "number" || token.kind === "duration") {
      this.next();
      return sign * (token.number ?? 0);
    }
    if (this.isWord(token, "inf", "nan")) {
      this.next();
      return sign * (token.text.toLowerCase() === "inf" ? Infinity : NaN);
    }
    this.unexpected(token, context, "number");
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (token.kind === "-" || token.kind === "+") {
      this.next();
      const operand = this.parseBinary(POW_PRECEDENCE);
      const op = token.kind;
      if (operand.type === "NumberLiteral") {
        // Prometheus folds a sign into a number literal: `-1` is the number -1, not a unary expression.
        return {
          ...operand,
          value: op === "-" ? -operand.value : operand.value,
          pos: { start: token.pos.start, end: operand.pos.end },
        };
      }
      return { type: "UnaryExpr", op, expr: operand, pos: { start: token.pos.start, end: operand.pos.end } };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case "number":
      case "duration":
        this.next();
        return { type: "NumberLiteral", value: token.number ?? 0, duration: token.kind === "duration", pos: token.pos };
      case "string":
        this.next();
        return { type: "StringLiteral", value: token.string ?? "", pos: token.pos };
      case "(": {
        this.next();
        const inner = this.parseBinary(0);
        const close = this.peek();
        if (close.kind === "eof") this.stop("unclosed left parenthesis", token.pos);
        if (close.kind !== ")") this.unexpected(close, "paren expression", '")"');
        this.next();
        return { type: "ParenExpr", expr: inner, pos: { start: token.pos.start, end: close.pos.end } };
      }
      case "{":
        return this.parseVectorSelector(null);
      case "identifier":
        return this.parseIdentifierExpr();
      default:
        this.unexpected(token);
    }
  }

  private parseIdentifierExpr(): Expr {
    const token = this.peek();
    const word = token.text.toLowerCase();
    const after = this.peek(1);
    if (word === "inf" || word === "nan") {
      this.next();
      return { type: "NumberLiteral", value: word === "inf" ? Infinity : NaN, duration: false, pos: token.pos };
    }
    if (
      (AGGREGATE_OPERATORS as readonly string[]).includes(word) &&
      (after.kind === "(" || this.isWord(after, "by", "without"))
    ) {
      return this.parseAggregate();
    }
    // Binary-operator keywords are never metric or function names (Prometheus's lexer makes them keywords).
    if (["bool", "on", "ignoring", "group_left", "group_right"].includes(word)) this.unexpected(token);
    if (after.kind === "(") return this.parseCall();
    return this.parseVectorSelector(this.next());
  }

  private parseCall(): Call {
    const nameToken = this.next();
    const fn = getFunction(nameToken.text);
    if (!fn) this.stop(`unknown function with name "${nameToken.text}"`, nameToken.pos);
    if (fn.experimental && !this.experimental) this.addError(`function "${fn.name}" is not enabled`, nameToken.pos);
    const { args, end } = this.parseCallArguments("function call");
    return { type: "Call", func: fn, args, pos: { start: nameToken.pos.start, end } };
  }

  private parseCallArguments(context: string): { args: Expr[]; end: number } {
    this.expect("(", context);
    const args: Expr[] = [];
    if (this.peek().kind !== ")") {
      for (;;) {
        if (this.peek().kind === "eof") this.stop("unclosed left parenthesis", this.peek().pos);
        args.push(this.parseBinary(0));
        const sep = this.peek();
        if (sep.kind === ",") {
          this.next();
          if (this.peek().kind !== ")") continue;
          // Reported, but parsing goes on, so that an argument-count error is reported too (as Prometheus does).
          this.addError("trailing commas not allowed in function call args", sep.pos);
          break;
        }
        if (sep.kind === ")") break;
        if (sep.kind === "eof") this.stop("unclosed left parenthesis", sep.pos);
        this.unexpected(sep, context, '"," or ")"');
      }
    }
    const close = this.next();
    return { args, end: close.pos.end };
  }

  private parseAggregate(): AggregateExpr {
    const opToken = this.next();
    const op = opToken.text.toLowerCase() as AggregateOperator;
    if ((op === "limitk" || op === "limit_ratio") && !this.experimental) {
      this.addError(
        "limitk() and limit_ratio() are experimental and must be enabled with --enable-feature=promql-experimental-functions",
        opToken.pos,
      );
    }
    let grouping: string[] = [];
    let without = false;
    let hasModifier = false;
    if (this.isWord(this.peek(), "by", "without")) {
      without = this.next().text.toLowerCase() === "without";
      grouping = this.parseGroupingLabels();
      hasModifier = true;
    }
    if (this.peek().kind !== "(") this.unexpected(this.peek(), "aggregation", '"("');
    const { args, end: argsEnd } = this.parseCallArguments("aggregation");
    let end = argsEnd;
    if (this.isWord(this.peek(), "by", "without")) {
      if (hasModifier) this.unexpected(this.peek());
      without = this.next().text.toLowerCase() === "without";
      grouping = this.parseGroupingLabels();
      end = this.tokens[this.index - 1].pos.end;
    }
    const pos = { start: opToken.pos.start, end };
    if (args.length === 0) this.stop("no arguments for aggregate expression provided", pos);
    const withParam = AGGREGATORS_WITH_PARAM.includes(op);
    const desired = withParam ? 2 : 1;
    if (args.length !== desired) {
      this.stop(
        `wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`,
        pos,
      );
    }
    return {
      type: "AggregateExpr",
      op,
      expr: args[desired - 1],
      param: withParam ? args[0] : null,
      grouping,
      without,
      pos,
    };
  }

  /** `(a, b, "c.d",)`: label names for by/without/on/ignoring/group_x. Keywords are valid label names here. */
  private parseGroupingLabels(): string[] {
    const open = this.peek();
    if (open.kind !== "(") this.unexpected(open, "grouping opts", '"("');
    this.next();
    const labels: string[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === ")") break;
      if (token.kind === "identifier" && !token.text.includes(":")) {
        labels.push(token.text);
      } else if (token.kind === "string") {
        const label = token.string ?? "";
        if (!isValidUtf8LabelName(label)) {
          this.addError(`invalid label name for grouping: ${quoteString(label)}`, token.pos);
        }
        labels.push(label);
      } else {
        this.unexpected(token, "grouping opts", "label");
      }
      this.next();
      const sep = this.peek();
      if (sep.kind === ",") {
        this.next();
        continue;
      }
      if (sep.kind !== ")") this.unexpected(sep, "grouping opts", '"," or ")"');
    }
    this.next();
    return labels;
  }

  // -- selectors ----------------------------------------------------------------------------------------------

  private parseVectorSelector(nameToken: Token | null): VectorSelector {
    const start = nameToken ? nameToken.pos.start : this.peek().pos.start;
    const name: string | null = nameToken ? nameToken.text : null;
    const matchers: LabelMatcher[] = [];
    let end = nameToken ? nameToken.pos.end : start;
    if (this.peek().kind === "{") {
      this.next();
      for (;;) {
        const token = this.peek();
        if (token.kind === "}") break;
        let labelName: string;
        if (token.kind === "string") {
          this.next();
          if (!MATCH_TYPES.has(this.peek().kind)) {
            // A bare quoted string names the metric: `{"my.metric", a="b"}`. As in Prometheus it becomes a
            // `__name__` matcher only; `name` stays null (set only by a name outside the braces).
            matchers.push({ type: "=", name: "__name__", value: token.string ?? "" });
            if (!this.matcherSeparator()) break;
            continue;
          }
          labelName = token.string ?? "";
        } else if (token.kind === "identifier") {
          this.next();
          labelName = token.text;
        } else {
          this.unexpected(token, "label matching", 'identifier or "}"');
        }
        const opToken = this.peek();
        if (!MATCH_TYPES.has(opToken.kind)) {
          this.unexpected(opToken, "label matching", "label matching operator");
        }
        this.next();
        const valueToken = this.peek();
        if (valueToken.kind !== "string") this.unexpected(valueToken, "label matching", "string");
        this.next();
        const matcher: LabelMatcher = {
          type: opToken.kind as MatchType,
          name: labelName,
          value: valueToken.string ?? "",
        };
        if (matcher.type === "=~" || matcher.type === "!~") {
          const problem = regexProblem(matcher.value);
          if (problem) this.addError(problem, { start: token.pos.start, end: valueToken.pos.end });
        }
        matchers.push(matcher);
        if (!this.matcherSeparator()) break;
      }
      end = this.next().pos.end;
    }
    if (nameToken) matchers.push({ type: "=", name: "__name__", value: nameToken.text });
    return {
      type: "VectorSelector",
      name,
      matchers,
      offset: 0,
      offsetExpr: null,
      at: null,
      anchored: false,
      smoothed: false,
      pos: { start, end },
    };
  }

  /** After a matcher: true when another may follow, false at the closing brace (which is left for the caller). */
  private matcherSeparator(): boolean {
    const sep = this.peek();
    if (sep.kind === ",") {
      this.next();
      return true;
    }
    if (sep.kind === "}") return false;
    this.unexpected(sep, "label matching", '"," or "}"');
  }

  // -- postfix modifiers --------------------------------------------------------------------------------------

  private parsePostfix(expr: Expr): Expr {
    for (;;) {
      const token = this.peek();
      if (token.kind === "[") {
        expr = this.parseRangeOrSubquery(expr);
      } else if (this.isWord(token, "offset")) {
        this.parseOffset(expr);
      } else if (token.kind === "@") {
        this.parseAt(expr);
      } else if (this.isWord(token, "anchored", "smoothed")) {
        this.next();
        this.setExtendedModifier(expr, token);
      } else {
        return expr;
      }
    }
  }

  private parseRangeOrSubquery(expr: Expr): MatrixSelector | SubqueryExpr {
    const open = this.next();
    if (this.peek().kind === "eof") this.stop("unexpected end of input in duration expression", this.peek().pos);
    if (this.peek().kind === ":" || this.peek().kind === "]") {
      this.unexpected(this.peek(), "subquery or range selector", "number, duration, step(), or range()");
    }
    const range = this.parsePositiveDuration();
    const rangeFields = durationFields(range);
    if (this.peek().kind === ":") {
      this.next();
      let step: DurationNode | null = null;
      if (this.peek().kind !== "]") step = this.parsePositiveDuration();
      const close = this.expectClosingBracket(open);
      const stepFields = step ? durationFields(step) : { value: 0, expr: null };
      return {
        type: "SubqueryExpr",
        expr,
        range: rangeFields.value,
        rangeExpr: rangeFields.expr,
        step: stepFields.value,
        stepExpr: stepFields.expr,
        offset: 0,
        offsetExpr: null,
        at: null,
        pos: { start: expr.pos.start, end: close.pos.end },
      };
    }
    const close = this.expectClosingBracket(open);
    const errRange = { start: open.pos.start, end: close.pos.end };
    if (expr.type !== "VectorSelector") {
      this.stop("ranges only allowed for vector selectors", errRange);
    }
    if (expr.offset !== 0 || expr.offsetExpr !== null)
      this.addError("no offset modifiers allowed before range", errRange);
    if (expr.at !== null) this.addError("no @ modifiers allowed before range", errRange);
    return {
      type: "MatrixSelector",
      vectorSelector: expr,
      range: rangeFields.value,
      rangeExpr: rangeFields.expr,
      pos: { start: expr.pos.start, end: close.pos.end },
    };
  }

  private expectClosingBracket(open: Token): Token {
    const token = this.peek();
    if (token.kind === "eof") this.stop("unclosed left bracket", open.pos);
    if (token.kind !== "]") this.unexpected(token, "subquery or range", '":" or "]"');
    return this.next();
  }

  private parseOffset(expr: Expr): void {
    this.next();
    const signToken = this.peek().kind === "-" || this.peek().kind === "+" ? this.next() : null;
    const token = this.peek();
    let node: DurationNode;
    if (token.kind === "number" || token.kind === "duration") {
      this.next();
      this.checkDurationRange(token.number ?? 0, token.pos);
      node = { type: "DurationLiteral", seconds: token.number ?? 0, unit: token.kind === "duration", pos: token.pos };
      if (signToken) {
        node = {
          ...node,
          seconds: signToken.kind === "-" ? -node.seconds : node.seconds,
          pos: { start: signToken.pos.start, end: token.pos.end },
        };
      }
    } else if (token.kind === "(" || this.isDurationFunction(token)) {
      node = this.parseDurationPrimary();
      if (signToken) {
        node = {
          type: "DurationUnary",
          op: signToken.kind as "+" | "-",
          expr: node,
          pos: { start: signToken.pos.start, end: node.pos.end },
        };
      }
    } else {
      this.unexpected(token, "offset", "number, duration, step(), or range()");
    }
    const fields = durationFields(node);
    const target = this.selectorTarget(expr);
    if (!target) this.stop(`offset modifier ${SELECTOR_MODIFIER_TARGET}`, expr.pos);
    if (target.offset !== 0 || target.offsetExpr !== null) this.stop("offset may not be set multiple times", expr.pos);
    target.offset = fields.value;
    target.offsetExpr = fields.expr;
    extendEnd(expr, node.pos.end);
  }

  private parseAt(expr: Expr): void {
    this.next();
    let at: AtModifier;
    let end: number;
    if (this.isWord(this.peek(), "start", "end") && this.peek(1).kind === "(") {
      at = this.next().text.toLowerCase() as "start" | "end";
      this.next();
      end = this.expect(")", "@ modifier").pos.end;
    } else {
      const first = this.peek();
      if (!["-", "+", "number", "duration"].includes(first.kind) && !this.isWord(first, "inf", "nan")) {
        this.unexpected(first, "@", "timestamp");
      }
      const seconds = this.parseSignedNumber("@");
      end = this.tokens[this.index - 1].pos.end;
      const ms = Math.round(seconds * 1000);
      if (!Number.isFinite(seconds) || !Number.isSafeInteger(ms)) {
        this.stop(`timestamp out of bounds for @ modifier: ${formatGoFixed(seconds)}`, expr.pos);
      }
      at = ms + 0;
    }
    const target = this.selectorTarget(expr);
    if (!target) this.stop(`@ modifier ${SELECTOR_MODIFIER_TARGET}`, expr.pos);
    if (target.at !== null) this.stop("@ <timestamp> may not be set multiple times", expr.pos);
    target.at = at;
    extendEnd(expr, end);
  }

  private setExtendedModifier(expr: Expr, token: Token): void {
    const which = token.text.toLowerCase() as "anchored" | "smoothed";
    const selector =
      expr.type === "VectorSelector" ? expr : expr.type === "MatrixSelector" ? expr.vectorSelector : null;
    if (!selector)
      this.stop(`${which} modifier must be preceded by a vector selector or range vector selector`, token.pos);
    if (selector.anchored || selector.smoothed) {
      this.stop("anchored and smoothed modifiers may be used only once per selector and not together", token.pos);
    }
    selector[which] = true;
    extendEnd(expr, token.pos.end);
  }

  /** Where offset and `@` of a postfix go: the selector itself, a range selector's selector, or a subquery. */
  private selectorTarget(expr: Expr): VectorSelector | SubqueryExpr | null {
    if (expr.type === "VectorSelector" || expr.type === "SubqueryExpr") return expr;
    if (expr.type === "MatrixSelector") return expr.vectorSelector;
    return null;
  }

  // -- duration expressions -----------------------------------------------------------------------------------

  private isDurationFunction(token: Token): boolean {
    return this.isWord(token, "step", "range", "min_of", "max_of") && this.peek(1).kind === "(";
  }

  /** Go's time.Duration holds at most 2^63 ns, about 292 years. */
  private checkDurationRange(seconds: number, pos: PositionRange): void {
    if (Math.abs(seconds) > 2 ** 63 / 1e9) this.addError("duration out of range", pos);
  }

  /** Ranges and subquery steps: a literal must be greater than 0 (expressions are checked by the engine). */
  private parsePositiveDuration(): DurationNode {
    const node = this.parseDurationExpr(0);
    if (node.type === "DurationLiteral" && node.seconds <= 0)
      this.addError("duration must be greater than 0", node.pos);
    return node;
  }

  private parseDurationExpr(minPrecedence: number): DurationNode {
    let lhs = this.parseDurationUnary();
    for (;;) {
      const kind = this.peek().kind;
      if (!(kind in DURATION_PRECEDENCE)) break;
      const op = kind as DurationOp;
      const precedence = DURATION_PRECEDENCE[op];
      if (precedence < minPrecedence) break;
      const opToken = this.next();
      const rhs = this.parseDurationExpr(op === "^" ? precedence : precedence + 1);
      if ((op === "/" || op === "%") && rhs.type === "DurationLiteral" && rhs.seconds === 0) {
        this.addError(op === "/" ? "division by zero" : "modulo by zero", opToken.pos);
      }
      lhs = { type: "DurationBinary", op, lhs, rhs, pos: { start: lhs.pos.start, end: rhs.pos.end } };
    }
    return lhs;
  }

  private parseDurationUnary(): DurationNode {
    const token = this.peek();
    if (token.kind === "-" || token.kind === "+") {
      this.next();
      const operand = this.parseDurationExpr(DURATION_PRECEDENCE["^"]);
      const pos = { start: token.pos.start, end: operand.pos.end };
      if (operand.type === "DurationLiteral") {
        // As in expressions, a sign folds into a literal: `[-5m]` is the literal -5m (and is rejected as such).
        return { ...operand, seconds: token.kind === "-" ? -operand.seconds : operand.seconds, pos };
      }
      return { type: "DurationUnary", op: token.kind, expr: operand, pos };
    }
    return this.parseDurationPrimary();
  }

  private parseDurationPrimary(): DurationNode {
    const token = this.peek();
    if (token.kind === "number" || token.kind === "duration") {
      this.next();
      this.checkDurationRange(token.number ?? 0, token.pos);
      return { type: "DurationLiteral", seconds: token.number ?? 0, unit: token.kind === "duration", pos: token.pos };
    }
    if (token.kind === "(") {
      this.next();
      const inner = this.parseDurationExpr(0);
      const close = this.peek();
      if (close.kind === "eof") this.stop("unclosed left parenthesis", token.pos);
      if (close.kind !== ")") this.unexpected(close, "duration expression", '")"');
      this.next();
      // A parenthesised literal is just the literal, as in Prometheus (`[(5m)]` is `[5m]`).
      if (inner.type === "DurationLiteral") return inner;
      return { type: "DurationParen", expr: inner, pos: { start: token.pos.start, end: close.pos.end } };
    }
    if (this.isDurationFunction(token)) {
      this.next();
      this.next();
      const func = token.text.toLowerCase() as "step" | "range" | "min_of" | "max_of";
      const args: DurationNode[] = [];
      if (func === "min_of" || func === "max_of") {
        args.push(this.parseDurationExpr(0));
        this.expect(",", `${func}()`);
        args.push(this.parseDurationExpr(0));
      }
      const close = this.expect(")", `${func}()`);
      return { type: "DurationCall", func, args, pos: { start: token.pos.start, end: close.pos.end } };
    }
    if (token.kind === "eof") this.stop("unexpected end of input in duration expression", token.pos);
    this.unexpected(token, "duration expression", "number, duration, step(), or range()");
  }
}

/** A plain literal goes into the number field alone; anything else keeps its tree (and its value when constant). */
function durationFields(node: DurationNode): { value: number; expr: DurationNode | null } {
  // `+ 0` turns -0 (from `offset -0`) into 0, so that equal durations compare equal.
  if (node.type === "DurationLiteral") return { value: Math.round(node.seconds * 1000) + 0, expr: null };
  const value = isConstantDuration(node) ? evaluateDuration(node, { stepMs: 0, rangeMs: 0 }) : 0;
  return { value, expr: node };
}

/** Prometheus 3 accepts any non-empty valid UTF-8 label name; lone surrogates stand for invalid bytes here. */
function isValidUtf8LabelName(name: string): boolean {
  return name.length > 0 && !/[\uD800-\uDFFF]/u.test(name);
}

function extendEnd(expr: Expr, end: number): void {
  (expr as { pos: PositionRange }).pos = { start: expr.pos.start, end };
}

function regexProblem(pattern: string): string | null {
  const compiled = compileMatcherRegex(pattern);
  return compiled.ok ? null : compiled.message;
}

/** How Prometheus names a token in "unexpected ..." messages. */
function describeToken(token: Token): string {
  switch (token.kind) {
    case "eof":
      return "end of input";
    case "identifier": {
      const word = token.text.toLowerCase();
      if (WORD_OPERATORS.has(word)) return `<op:${word}>`;
      if ((AGGREGATE_OPERATORS as readonly string[]).includes(word)) return `<aggr:${word}>`;
      if (KEYWORDS.has(word)) return `<${word}>`;
      return `${token.text.includes(":") ? "metric identifier" : "identifier"} "${token.text}"`;
    }
    case "number":
      return `number "${token.text}"`;
    case "duration":
      return `duration "${token.text}"`;
    case "string": {
      // Go's `%q` of the raw token (quotes included), cut to 10 characters with `...` when longer.
      const chars = [...token.text];
      return chars.length > 10
        ? `string ${quoteString(chars.slice(0, 10).join(""))}...`
        : `string ${quoteString(token.text)}`;
    }
    default:
      if (SYMBOL_OPERATORS.has(token.kind) || token.kind === "@" || token.kind === "=~" || token.kind === "!~") {
        return `<op:${token.kind}>`;
      }
      return `"${token.kind}"`;
  }
}

const KEYWORDS: ReadonlySet<string> = new Set([
  "bool",
  "by",
  "group_left",
  "group_right",
  "ignoring",
  "offset",
  "on",
  "without",
  "start",
  "end",
]);
