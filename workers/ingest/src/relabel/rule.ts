import { isValidLabelName, isValidLabelNameTemplate, type NameValidationScheme } from "./name-validation";
import { hasTemplateReference, RelabelRegex, RelabelRegexError } from "./regex";

/** Every relabel action Prometheus 3 has. */
export const RELABEL_ACTIONS = [
  "replace",
  "keep",
  "drop",
  "keepequal",
  "dropequal",
  "hashmod",
  "labelmap",
  "labeldrop",
  "labelkeep",
  "lowercase",
  "uppercase",
] as const;

export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** A relabel rule as written in the configuration; absent fields take Prometheus's defaults. */
export interface RelabelRuleInput {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly modulus?: number;
  readonly targetLabel?: string;
  readonly replacement?: string;
  readonly action?: string;
}

/** A validated relabel rule with defaults applied and its regex compiled. */
export interface RelabelRule {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: RelabelRegex;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly action: RelabelAction;
  readonly nameValidation: NameValidationScheme;
}

/** The YAML field names of a relabel rule, for error paths. */
export type RelabelField =
  "source_labels" | "separator" | "regex" | "modulus" | "target_label" | "replacement" | "action";

/** A relabel rule Prometheus would refuse to load; `field` names the offending field when there is one. */
export class RelabelRuleError extends Error {
  override readonly name = "RelabelRuleError";
  constructor(
    readonly field: RelabelField | undefined,
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
  }
}

export const DEFAULT_SEPARATOR = ";";
export const DEFAULT_REGEX = "(.*)";
export const DEFAULT_REPLACEMENT = "$1";

const DEFAULT_REGEX_COMPILED = RelabelRegex.compile(DEFAULT_REGEX);

/** Applies defaults and validates a rule exactly as Prometheus does when it loads its configuration. */
export function compileRelabelRule(input: RelabelRuleInput, scheme: NameValidationScheme = "utf8"): RelabelRule {
  const action = parseAction(input.action);
  const separator = input.separator ?? DEFAULT_SEPARATOR;
  const replacement = input.replacement ?? DEFAULT_REPLACEMENT;
  const targetLabel = input.targetLabel ?? "";
  const modulus = input.modulus ?? 0;
  let regex = DEFAULT_REGEX_COMPILED;
  if (input.regex !== undefined) {
    try {
      regex = RelabelRegex.compile(input.regex);
    } catch (err) {
      if (err instanceof RelabelRegexError) throw new RelabelRuleError("regex", err.message);
      throw err;
    }
  }
  if (!Number.isSafeInteger(modulus) || modulus < 0) {
    throw new RelabelRuleError("modulus", `must be an integer between 0 and 2^53-1, got ${modulus}`);
  }
  for (const name of input.sourceLabels ?? []) {
    if (!isValidLabelName(name, scheme)) {
      throw new RelabelRuleError("source_labels", `${JSON.stringify(name)} is not a valid label name`);
    }
  }

  if (action === "hashmod" && modulus === 0) {
    throw new RelabelRuleError("modulus", "relabel configuration for hashmod requires non-zero modulus");
  }
  const needsTarget = ["replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"].includes(action);
  if (needsTarget && targetLabel === "") {
    throw new RelabelRuleError(
      "target_label",
      `relabel configuration for ${action} action requires 'target_label' value`,
    );
  }
  const targetValid =
    action === "replace" && hasTemplateReference(targetLabel)
      ? isValidLabelNameTemplate(targetLabel, scheme)
      : isValidLabelName(targetLabel, scheme);
  if (needsTarget && !targetValid) {
    throw new RelabelRuleError(
      "target_label",
      `${JSON.stringify(targetLabel)} is invalid 'target_label' for ${action} action`,
    );
  }
  const equalityOrCase = ["lowercase", "uppercase", "keepequal", "dropequal"].includes(action);
  if (equalityOrCase && replacement !== DEFAULT_REPLACEMENT) {
    throw new RelabelRuleError("replacement", `'replacement' can not be set for ${action} action`);
  }
  if (action === "labelmap" && !isValidLabelNameTemplate(replacement, scheme)) {
    throw new RelabelRuleError(
      "replacement",
      `${JSON.stringify(replacement)} is invalid 'replacement' for ${action} action`,
    );
  }
  if (action === "keepequal" || action === "dropequal") {
    if (regex.source !== DEFAULT_REGEX || modulus !== 0 || separator !== DEFAULT_SEPARATOR) {
      throw new RelabelRuleError(
        undefined,
        `${action} action requires only 'source_labels' and 'target_label', and no other fields`,
      );
    }
  }
  if (action === "labeldrop" || action === "labelkeep") {
    if (
      input.sourceLabels !== undefined ||
      targetLabel !== "" ||
      modulus !== 0 ||
      separator !== DEFAULT_SEPARATOR ||
      replacement !== DEFAULT_REPLACEMENT
    ) {
      throw new RelabelRuleError(undefined, `${action} action requires only 'regex', and no other fields`);
    }
  }
  return {
    sourceLabels: input.sourceLabels ?? [],
    separator,
    regex,
    modulus,
    targetLabel,
    replacement,
    action,
    nameValidation: scheme,
  };
}

function parseAction(text: string | undefined): RelabelAction {
  if (text === undefined) return "replace";
  if (text === "") throw new RelabelRuleError("action", "relabel action cannot be empty");
  // Prometheus accepts actions in any case.
  const lower = text.toLowerCase();
  const action = RELABEL_ACTIONS.find((candidate) => candidate === lower);
  if (!action) throw new RelabelRuleError("action", `unknown relabel action ${JSON.stringify(text)}`);
  return action;
}
