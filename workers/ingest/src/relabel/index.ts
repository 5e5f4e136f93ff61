export { goToLower, goToUpper } from "./case-mapping";
export { compareLabelNames, type Label, METRIC_NAME_LABEL } from "./label";
export { LabelBuilder } from "./label-builder";
export { hashMod, md5 } from "./md5";
export { isValidLabelName, type NameValidationScheme } from "./name-validation";
export { relabel, relabelBuilder } from "./process";
export { RelabelRegex, RelabelRegexError } from "./regex";
export {
  compileRelabelRule,
  DEFAULT_REGEX,
  DEFAULT_REPLACEMENT,
  DEFAULT_SEPARATOR,
  RELABEL_ACTIONS,
  type RelabelAction,
  type RelabelField,
  type RelabelRule,
  RelabelRuleError,
  type RelabelRuleInput,
} from "./rule";
