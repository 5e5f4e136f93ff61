export * from "./ast";
export { evaluateDuration, evaluateDurationSeconds, isConstantDuration, type DurationContext } from "./duration";
export { ParseError, ParseErrors, positionPrefix } from "./errors";
export { MAX_NESTING, parseExpr, parseMetricSelector, type ParseOptions } from "./parser";
export { checkAST, matchesEmpty } from "./check";
export { formatDurationExpr, formatExpr, formatLabelName, formatMatcher, quoteString } from "./printer";
export { formatDuration, parseDurationMs } from "../duration";
export { MAX_CHARACTERS_PER_LINE, prettyExpr } from "./pretty";
export { astToJson, type AstJson } from "./ast-json";
