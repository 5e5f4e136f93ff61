import { goToLower, goToUpper } from "./case-mapping";
import type { Label } from "./label";
import { LabelBuilder } from "./label-builder";
import { hashMod } from "./md5";
import { isValidLabelName } from "./name-validation";
import { hasTemplateReference } from "./regex";
import { DEFAULT_REGEX, type RelabelRule } from "./rule";

/**
 * Applies rules in order to a label builder. Returns false when a rule dropped the label set (the builder is then
 * left in an unspecified state).
 */
export function relabelBuilder(builder: LabelBuilder, rules: readonly RelabelRule[]): boolean {
  for (const rule of rules) {
    if (!applyRule(rule, builder)) return false;
  }
  return true;
}

/** Applies rules in order; returns the sorted result, or null when a rule dropped the label set. */
export function relabel(labels: readonly Label[], rules: readonly RelabelRule[]): Label[] | null {
  const builder = new LabelBuilder(labels);
  return relabelBuilder(builder, rules) ? builder.labels() : null;
}

function joinSourceValues(rule: RelabelRule, builder: LabelBuilder): string {
  const names = rule.sourceLabels;
  if (names.length === 1) return builder.get(names[0]);
  let joined = "";
  for (let i = 0; i < names.length; i++) {
    if (i > 0) joined += rule.separator;
    joined += builder.get(names[i]);
  }
  return joined;
}

function applyRule(rule: RelabelRule, builder: LabelBuilder): boolean {
  const value = joinSourceValues(rule, builder);
  switch (rule.action) {
    case "drop":
      return !rule.regex.matches(value);
    case "keep":
      return rule.regex.matches(value);
    case "dropequal":
      return builder.get(rule.targetLabel) !== value;
    case "keepequal":
      return builder.get(rule.targetLabel) === value;
    case "replace":
      applyReplace(rule, builder, value);
      return true;
    case "lowercase":
      builder.set(rule.targetLabel, goToLower(value));
      return true;
    case "uppercase":
      builder.set(rule.targetLabel, goToUpper(value));
      return true;
    case "hashmod":
      builder.set(rule.targetLabel, String(hashMod(value, rule.modulus)));
      return true;
    case "labelmap":
      for (const label of builder.snapshot()) {
        const groups = rule.regex.match(label.name);
        if (groups) builder.set(rule.regex.expand(rule.replacement, groups), label.value);
      }
      return true;
    case "labeldrop":
      for (const label of builder.snapshot()) {
        if (rule.regex.matches(label.name)) builder.delete(label.name);
      }
      return true;
    case "labelkeep":
      for (const label of builder.snapshot()) {
        if (!rule.regex.matches(label.name)) builder.delete(label.name);
      }
      return true;
  }
}

function applyReplace(rule: RelabelRule, builder: LabelBuilder, value: string): void {
  // Prometheus's shortcut, kept because it is observable: with the default regex and no template in either field,
  // an empty source value sets (or, for an empty replacement, deletes) the target without matching.
  if (
    value === "" &&
    rule.regex.source === DEFAULT_REGEX &&
    !hasTemplateReference(rule.targetLabel) &&
    !hasTemplateReference(rule.replacement)
  ) {
    builder.set(rule.targetLabel, rule.replacement);
    return;
  }
  const groups = rule.regex.match(value);
  if (!groups) return;
  const target = rule.regex.expand(rule.targetLabel, groups);
  if (!isValidLabelName(target, rule.nameValidation)) return;
  const replaced = rule.regex.expand(rule.replacement, groups);
  if (replaced === "") builder.delete(target);
  else builder.set(target, replaced);
}
