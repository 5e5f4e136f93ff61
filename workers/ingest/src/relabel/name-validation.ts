/**
 * How label names are validated: Prometheus 3 defaults to `utf8` (any non-empty name); `legacy` is the classic
 * `[a-zA-Z_][a-zA-Z0-9_]*`.
 */
export type NameValidationScheme = "utf8" | "legacy";

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Prometheus's check for a legacy target label that still contains `$1`/`${name}` references.
const LEGACY_LABEL_NAME_TEMPLATE = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

export function isValidLabelName(name: string, scheme: NameValidationScheme): boolean {
  if (scheme === "legacy") return LEGACY_LABEL_NAME.test(name);
  return name.length > 0;
}

/** Whether a label name that may still hold template references is acceptable before expansion. */
export function isValidLabelNameTemplate(name: string, scheme: NameValidationScheme): boolean {
  if (scheme === "legacy") return LEGACY_LABEL_NAME_TEMPLATE.test(name);
  return name.length > 0;
}
