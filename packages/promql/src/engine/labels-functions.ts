import type { RE2JS } from "re2js";
import { compileAnchoredRegex, InvalidRegexError } from "../storage/matcher";
import { METRIC_NAME, normalizeLabels, type Label, type Labels } from "../value";
import { EvaluationError } from "./errors";
import { labelNameError } from "./label-names";
import type { StepSeries } from "./types";

/** Go's regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown groups expand to nothing. */
function expandTemplate(template: string, group: (ref: string) => string): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== "$" || i + 1 >= template.length) {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (next === "{") {
      const close = template.indexOf("}", i + 2);
      name = close < 0 ? "" : template.slice(i + 2, close);
      if (close < 0 || !/^[a-zA-Z0-9_]+$/.test(name)) {
        out += c;
        continue;
      }
      end = close + 1;
    } else {
      const m = /^[a-zA-Z0-9_]+/.exec(template.slice(i + 1));
      if (!m) {
        out += c;
        continue;
      }
      name = m[0];
      end = i + 1 + name.length;
    }
    out += group(name);
    i = end - 1;
  }
  return out;
}

function setLabel(labels: Labels, name: string, value: string): Labels {
  const out: Label[] = labels.filter((l) => l.name !== name);
  if (value !== "") out.push({ name, value });
  return normalizeLabels(out);
}

function sourceValue(labels: Labels, name: string): string {
  for (const l of labels) if (l.name === name) return l.value;
  return "";
}

export function labelReplace(
  series: StepSeries[],
  dst: string,
  replacement: string,
  src: string,
  regex: string,
): StepSeries[] {
  let re: RE2JS;
  try {
    re = compileAnchoredRegex(regex);
  } catch (e) {
    if (e instanceof InvalidRegexError)
      throw new EvaluationError(`invalid regular expression in label_replace(): ${regex}`);
    throw e;
  }
  if (labelNameError(dst)) throw new EvaluationError(`invalid destination label name in label_replace(): ${dst}`);
  const named = re.namedGroups();
  for (const s of series) {
    const m = re.matcher(sourceValue(s.labels, src));
    if (m.matches()) {
      const value = expandTemplate(replacement, (ref) => {
        const idx = /^\d+$/.test(ref) ? Number(ref) : named[ref];
        if (idx === undefined || idx > re.groupCount()) return "";
        return m.group(idx) ?? "";
      });
      s.labels = setLabel(s.labels, dst, value);
    }
    if (dst === METRIC_NAME) s.dropName = false;
  }
  return series;
}

export function labelJoin(series: StepSeries[], dst: string, sep: string, srcs: string[]): StepSeries[] {
  if (labelNameError(dst)) throw new EvaluationError(`invalid destination label name in label_join(): ${dst}`);
  for (const src of srcs) {
    if (labelNameError(src)) throw new EvaluationError(`invalid source label name in label_join(): ${src}`);
  }
  for (const s of series) {
    const value = srcs.map((n) => sourceValue(s.labels, n)).join(sep);
    s.labels = setLabel(s.labels, dst, value);
    if (dst === METRIC_NAME) s.dropName = false;
  }
  return series;
}
