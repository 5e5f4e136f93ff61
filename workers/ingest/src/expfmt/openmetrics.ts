import { ExpositionParseError } from "./errors";
import { groupKey, sortLabelsFindDuplicate } from "./labels";
import {
  closingQuote,
  isLabelNameChar,
  isLabelNameStart,
  isNameChar,
  isNameStart,
  parseRealNumber,
  parseSampleValue,
  secondsToMs,
  unescape,
} from "./lexing";
import { NO_EXEMPLARS, type ExpositionExemplar, type Label, type MetricFamily, type MetricType } from "./model";

export interface OpenMetricsOptions {
  /**
   * Full OpenMetrics 1.0 conformance (the official parser test suite): on top of the grammar, reject counter,
   * histogram and summary values the spec forbids, inconsistent histograms, interleaved groups and families,
   * clashing names, exemplars where the spec allows none, and timestamps that go backwards. Off by default: like
   * Prometheus's scraper, the default checks the grammar and structure only, so real exporters that bend those
   * rules (client_golang writes `_sum` beside negative buckets, for one) still scrape.
   */
  strict?: boolean;
}

const TYPES: ReadonlySet<string> = new Set([
  "counter",
  "gauge",
  "histogram",
  "gaugehistogram",
  "stateset",
  "info",
  "summary",
  "unknown",
]);

/** The sample-name suffixes each type owns; a sample whose name has none of them starts a new family. */
const SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ["_total", "_created"],
  gauge: [""],
  unknown: [""],
  stateset: [""],
  info: ["_info"],
  histogram: ["_bucket", "_count", "_sum", "_created"],
  gaugehistogram: ["_bucket", "_gcount", "_gsum"],
  summary: ["", "_count", "_sum", "_created"],
};

const MAX_EXEMPLAR_LABEL_RUNES = 128;

interface GroupState {
  /** Labels of the group's first sample; the group is every following sample equal to them but for le/quantile. */
  labels: Label[];
  firstSample: number;
  hasTimestamp: boolean | null;
  lastTimestamp: number;
  created: number | null;
  // Histogram bookkeeping (strict mode).
  buckets: Array<{ le: string; bound: number; count: number }>;
  count: number | null;
  sum: number | null;
}

interface FamilyState {
  family: MetricFamily;
  seen: { help: boolean; type: boolean; unit: boolean };
  groupsSeen: Set<string>;
  group: GroupState | null;
}

/**
 * Parses OpenMetrics 1.0 text (`application/openmetrics-text; version=1.0.0`). `_created` lines become the
 * `createdTimestamp` of their group's samples rather than samples of their own; timestamps (float seconds)
 * become integer milliseconds.
 */
export function parseOpenMetrics(text: string, options: OpenMetricsOptions = {}): MetricFamily[] {
  return new OpenMetricsParser(text, options.strict ?? false).parse();
}

class OpenMetricsParser {
  private readonly families: MetricFamily[] = [];
  private current: FamilyState | null = null;
  private readonly familyNames = new Set<string>();
  private readonly claimedNames = new Map<string, string>();
  private lineNo = 0;

  constructor(
    private readonly text: string,
    private readonly strict: boolean,
  ) {}

  parse(): MetricFamily[] {
    const text = this.text;
    let start = 0;
    let sawEof = false;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      const terminated = end >= 0;
      if (!terminated) end = text.length;
      const line = text.slice(start, end);
      this.lineNo++;
      if (line === "# EOF") {
        if (terminated && end + 1 < text.length) throw this.error("text after # EOF", this.lineNo + 1);
        sawEof = true;
        break;
      }
      if (!terminated) throw this.error("the exposition must end with # EOF");
      if (line === "") throw this.error("blank line");
      if (line.charCodeAt(0) === 35) this.metadataLine(line);
      else this.sampleLine(line);
      start = end + 1;
    }
    if (!sawEof) throw this.error("the exposition must end with # EOF");
    this.closeFamily();
    return this.families;
  }

  private metadataLine(line: string): void {
    const kind = line.slice(2, 6);
    if (
      line.charCodeAt(1) !== 32 ||
      line.charCodeAt(6) !== 32 ||
      (kind !== "HELP" && kind !== "TYPE" && kind !== "UNIT")
    ) {
      throw this.error(`unexpected comment ${JSON.stringify(line)}: only # HELP, # TYPE, # UNIT and # EOF are allowed`);
    }
    let i = 7;
    let name: string;
    if (line.charCodeAt(i) === 34 && !this.strict) {
      const quoted = this.quoted(line, i);
      name = quoted.value;
      i = quoted.end;
    } else {
      if (i >= line.length || !isNameStart(line.charCodeAt(i))) throw this.error(`# ${kind} needs a metric name`);
      while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
      name = line.slice(7, i);
    }
    if (line.charCodeAt(i) !== 32) throw this.error(`# ${kind} ${name} needs a space and a value`);
    const rest = line.slice(i + 1);

    const state = this.familyFor(name);
    if (state.family.samples.length > 0 || state.group !== null) {
      throw this.error(`# ${kind} for ${name} after its samples`);
    }
    const family = state.family;
    if (kind === "HELP") {
      if (state.seen.help) throw this.error(`second # HELP for ${name}`);
      state.seen.help = true;
      family.help = unescape(rest, true);
    } else if (kind === "TYPE") {
      if (state.seen.type) throw this.error(`second # TYPE for ${name}`);
      if (!TYPES.has(rest)) throw this.error(`unknown metric type ${JSON.stringify(rest)}`);
      state.seen.type = true;
      family.type = rest as MetricType;
      if (this.strict && family.unit !== "" && (family.type === "info" || family.type === "stateset")) {
        throw this.error(`${family.type} metrics have no unit`);
      }
    } else {
      if (state.seen.unit) throw this.error(`second # UNIT for ${name}`);
      for (let k = 0; k < rest.length; k++) {
        if (!isNameChar(rest.charCodeAt(k))) throw this.error(`invalid unit ${JSON.stringify(rest)}`);
      }
      if (rest !== "" && !name.endsWith(`_${rest}`)) throw this.error(`unit ${rest} is not a suffix of ${name}`);
      if (this.strict && rest !== "" && (family.type === "info" || family.type === "stateset")) {
        throw this.error(`${family.type} metrics have no unit`);
      }
      state.seen.unit = true;
      family.unit = rest;
    }
  }

  /** The family a metadata line names: the current one, or a new one. */
  private familyFor(name: string): FamilyState {
    if (this.current !== null && this.current.family.name === name) return this.current;
    this.closeFamily();
    return this.openFamily(name);
  }

  private openFamily(name: string): FamilyState {
    if (this.familyNames.has(name)) {
      // A second block for a name: a clash in strict OpenMetrics; Prometheus just reads on.
      if (this.strict) throw this.error(`metric family ${name} appears twice`);
    }
    this.familyNames.add(name);
    const family: MetricFamily = { name, type: "unknown", help: "", unit: "", samples: [] };
    this.current = { family, seen: { help: false, type: false, unit: false }, groupsSeen: new Set(), group: null };
    return this.current;
  }

  private closeFamily(): void {
    const state = this.current;
    if (state === null) return;
    this.closeGroup(state);
    this.families.push(state.family);
    this.current = null;
    if (this.strict) {
      const { name, type } = state.family;
      for (const suffix of new Set(["", ...SUFFIXES[type]])) {
        const owner = this.claimedNames.get(name + suffix);
        if (owner !== undefined && owner !== name) {
          throw this.error(`metric family ${name} clashes with ${owner} on the name ${name + suffix}`);
        }
        this.claimedNames.set(name + suffix, name);
      }
    }
  }

  private sampleLine(line: string): void {
    let i = 0;
    // `{"name.with.dots", ...}`: Prometheus's UTF-8 extension, outside OpenMetrics 1.0, so not in strict mode.
    const quotedName = line.charCodeAt(0) === 123 && line.charCodeAt(1) === 34 && !this.strict;
    if (!quotedName && !isNameStart(line.charCodeAt(0))) {
      throw this.error(`invalid metric name in ${JSON.stringify(line)}`);
    }
    while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
    let name = line.slice(0, i);
    let labels: Label[] = [];
    if (line.charCodeAt(i) === 123) {
      const parsed = this.labels(line, i, quotedName);
      labels = parsed.labels;
      i = parsed.end;
      if (quotedName) name = parsed.name;
    }
    if (line.charCodeAt(i) !== 32) throw this.error(`expected a space and a value after ${name}`);
    let end = line.indexOf(" ", i + 1);
    if (end < 0) end = line.length;
    const value = parseSampleValue(line.slice(i + 1, end));
    if (value === null) throw this.error(`invalid value ${JSON.stringify(line.slice(i + 1, end))}`);
    i = end;
    let timestamp: number | null = null;
    let exemplar: ExpositionExemplar | null = null;
    if (i < line.length && line.charCodeAt(i + 1) !== 35) {
      end = line.indexOf(" ", i + 1);
      if (end < 0) end = line.length;
      const seconds = parseRealNumber(line.slice(i + 1, end));
      if (seconds === null) throw this.error(`invalid timestamp ${JSON.stringify(line.slice(i + 1, end))}`);
      timestamp = secondsToMs(seconds);
      i = end;
    }
    if (i < line.length) exemplar = this.exemplar(line, i);

    const duplicate = sortLabelsFindDuplicate(labels);
    if (duplicate !== null) throw this.error(`duplicate label name ${duplicate}`);
    this.addSample(name, labels, value, timestamp, exemplar);
  }

  /** ` # {labels} value [timestamp]` at `i` up to the end of the line. */
  private exemplar(line: string, i: number): ExpositionExemplar {
    if (line.charCodeAt(i) !== 32 || line.charCodeAt(i + 1) !== 35 || line.charCodeAt(i + 2) !== 32) {
      throw this.error("malformed exemplar: expected ' # {'");
    }
    if (line.charCodeAt(i + 3) !== 123) throw this.error("malformed exemplar: expected a label set");
    const { labels, end: afterLabels } = this.labels(line, i + 3);
    if (line.charCodeAt(afterLabels) !== 32) throw this.error("malformed exemplar: expected a space after its labels");
    let end = line.indexOf(" ", afterLabels + 1);
    if (end < 0) end = line.length;
    const value = parseSampleValue(line.slice(afterLabels + 1, end));
    if (value === null) throw this.error(`invalid exemplar value ${JSON.stringify(line.slice(afterLabels + 1, end))}`);
    let timestamp: number | null = null;
    if (end < line.length) {
      const seconds = parseRealNumber(line.slice(end + 1));
      if (seconds === null) throw this.error(`invalid exemplar timestamp ${JSON.stringify(line.slice(end + 1))}`);
      timestamp = secondsToMs(seconds);
    }
    let runes = 0;
    for (const l of labels) runes += codePoints(l.name) + codePoints(l.value);
    if (runes > MAX_EXEMPLAR_LABEL_RUNES) {
      throw this.error(`exemplar labels have ${runes} characters, more than ${MAX_EXEMPLAR_LABEL_RUNES}`);
    }
    const duplicate = sortLabelsFindDuplicate(labels);
    if (duplicate !== null) throw this.error(`duplicate exemplar label name ${duplicate}`);
    return { labels, value, timestamp };
  }

  /** `{name="value",...}` starting at the `{` at `i`; returns the labels and the index after `}`. */
  private labels(line: string, i: number, metricNameFirst = false): { labels: Label[]; end: number; name: string } {
    const labels: Label[] = [];
    let metricName = "";
    i++;
    if (line.charCodeAt(i) === 125) return { labels, end: i + 1, name: metricName };
    if (metricNameFirst) {
      const quoted = this.quoted(line, i);
      metricName = quoted.value;
      i = quoted.end;
      const c = line.charCodeAt(i);
      if (c === 125) return { labels, end: i + 1, name: metricName };
      if (c !== 44) throw this.error("expected , or } after the quoted metric name");
      i++;
    }
    for (;;) {
      let name: string;
      if (line.charCodeAt(i) === 34 && !this.strict) {
        const quoted = this.quoted(line, i);
        name = quoted.value;
        i = quoted.end;
      } else {
        const nameStart = i;
        if (!isLabelNameStart(line.charCodeAt(i))) throw this.error("invalid label name");
        while (i < line.length && isLabelNameChar(line.charCodeAt(i))) i++;
        name = line.slice(nameStart, i);
      }
      if (line.charCodeAt(i) !== 61 || line.charCodeAt(i + 1) !== 34) {
        throw this.error(`label ${name} needs ="value"`);
      }
      i += 2;
      const valueStart = i;
      i = closingQuote(line, valueStart);
      if (i < 0) throw this.error(`unterminated value of label ${name}`);
      labels.push({ name, value: unescape(line.slice(valueStart, i), true) });
      i++;
      const c = line.charCodeAt(i);
      if (c === 125) return { labels, end: i + 1, name: metricName };
      if (c !== 44) throw this.error(`expected , or } after label ${name}`);
      i++;
    }
  }

  /** A double-quoted string at `i` (with escapes); returns its value and the index after the closing quote. */
  private quoted(line: string, i: number): { value: string; end: number } {
    let j = i + 1;
    let escaped = false;
    while (j < line.length) {
      const c = line.charCodeAt(j);
      if (c === 34) {
        const raw = line.slice(i + 1, j);
        if (raw === "") throw this.error("empty quoted name");
        return { value: escaped ? unescape(raw, true) : raw, end: j + 1 };
      }
      if (c === 92) escaped = true;
      j += c === 92 ? 2 : 1;
    }
    throw this.error("unterminated quoted name");
  }

  private addSample(
    name: string,
    labels: Label[],
    value: number,
    timestamp: number | null,
    exemplar: ExpositionExemplar | null,
  ): void {
    let state = this.current;
    if (state === null || !belongsTo(state.family, name)) {
      this.closeFamily();
      state = this.openFamily(name);
    }
    const family = state.family;
    const suffix = name.slice(family.name.length);
    const type = family.type;
    const skip1 = type === "histogram" || type === "gaugehistogram" ? "le" : "";
    const skip2 = type === "summary" ? "quantile" : "";
    let group = state.group;
    // Comparing with the group's first labels is cheaper than building a key per sample; only strict mode, which
    // must notice a group coming back, keeps keys.
    if (group === null || !sameGroup(group.labels, labels, skip1, skip2)) {
      this.closeGroup(state);
      if (this.strict) {
        const key = groupKey(labels, skip1, skip2);
        if (state.groupsSeen.has(key)) throw this.error(`samples of ${family.name} are not grouped`);
        state.groupsSeen.add(key);
      }
      group = {
        labels,
        firstSample: family.samples.length,
        hasTimestamp: null,
        lastTimestamp: -Infinity,
        created: null,
        buckets: [],
        count: null,
        sum: null,
      };
      state.group = group;
    }
    if (this.strict) {
      this.checkSample(family, suffix, labels, value, exemplar);
      if (group.hasTimestamp !== null && group.hasTimestamp !== (timestamp !== null)) {
        throw this.error(`samples of one ${family.name} metric mix explicit and missing timestamps`);
      }
      group.hasTimestamp = timestamp !== null;
      if (timestamp !== null) {
        if (timestamp < group.lastTimestamp) throw this.error(`timestamps of ${family.name} go backwards`);
        group.lastTimestamp = timestamp;
      }
      this.recordHistogramPart(family, group, suffix, labels, value);
    }
    if (suffix === "_created") {
      group.created = secondsToMs(value);
      return;
    }
    family.samples.push({
      name,
      labels,
      value,
      timestamp,
      createdTimestamp: null,
      exemplars: exemplar === null ? NO_EXEMPLARS : [exemplar],
      histogram: null,
    });
  }

  /** The per-sample rules of strict mode: values each type allows, required labels, where exemplars may go. */
  private checkSample(
    family: MetricFamily,
    suffix: string,
    labels: Label[],
    value: number,
    exemplar: ExpositionExemplar | null,
  ): void {
    const type = family.type;
    const counterLike =
      (type === "counter" && suffix === "_total") ||
      ((type === "histogram" || type === "gaugehistogram") &&
        (suffix === "_bucket" || suffix === "_count" || suffix === "_gcount")) ||
      (type === "summary" && (suffix === "_count" || suffix === "_sum")) ||
      (type === "histogram" && suffix === "_sum");
    if (counterLike && (Number.isNaN(value) || value < 0)) {
      throw this.error(`${family.name}${suffix} must not be negative or NaN`);
    }
    if (type === "gaugehistogram" && suffix === "_gsum" && Number.isNaN(value)) {
      throw this.error(`${family.name}_gsum must not be NaN`);
    }
    if (
      exemplar !== null &&
      !(
        (type === "counter" && suffix === "_total") ||
        ((type === "histogram" || type === "gaugehistogram") && suffix === "_bucket")
      )
    ) {
      throw this.error(`exemplars are not allowed on ${family.name}${suffix}`);
    }
    if (type === "summary" && suffix === "") {
      const q = labels.find((l) => l.name === "quantile");
      const quantile = q === undefined ? null : parseRealNumber(q.value);
      if (quantile === null || quantile < 0 || quantile > 1)
        throw this.error("summary quantile must be a number in [0, 1]");
      if (value < 0) throw this.error("summary quantile values must not be negative");
    }
    if ((type === "histogram" || type === "gaugehistogram") && suffix === "_bucket") {
      const le = labels.find((l) => l.name === "le");
      if (le === undefined || parseSampleValue(le.value) === null)
        throw this.error("histogram bucket needs a numeric le label");
    }
    if (type === "info" && value !== 1) throw this.error("info metrics must have the value 1");
    if (type === "stateset") {
      if (value !== 0 && value !== 1) throw this.error("stateset values must be 0 or 1");
      if (!labels.some((l) => l.name === family.name)) throw this.error(`stateset needs a label named ${family.name}`);
    }
  }

  private recordHistogramPart(
    family: MetricFamily,
    group: GroupState,
    suffix: string,
    labels: Label[],
    value: number,
  ): void {
    if (family.type !== "histogram" && family.type !== "gaugehistogram") return;
    if (suffix === "_bucket") {
      const le = (labels.find((l) => l.name === "le") as Label).value;
      group.buckets.push({ le, bound: parseSampleValue(le) as number, count: value });
    } else if (suffix === "_count" || suffix === "_gcount") {
      group.count = value;
    } else if (suffix === "_sum" || suffix === "_gsum") {
      group.sum = value;
    }
  }

  /** Ends a group: hands its `_created` time to its samples and, in strict mode, checks histogram consistency. */
  private closeGroup(state: FamilyState): void {
    const group = state.group;
    if (group === null) return;
    state.group = null;
    const samples = state.family.samples;
    if (group.created !== null) {
      for (let k = group.firstSample; k < samples.length; k++) samples[k].createdTimestamp = group.created;
    }
    if (!this.strict) return;
    const type = state.family.type;
    if (type !== "histogram" && type !== "gaugehistogram") return;
    const name = state.family.name;
    const { buckets, count, sum } = group;
    const last = buckets[buckets.length - 1];
    if (last === undefined || last.le !== "+Inf") throw this.error(`histogram ${name} lacks its +Inf bucket`);
    let negative = false;
    for (let k = 0; k < buckets.length; k++) {
      if (buckets[k].bound < 0) negative = true;
      if (k > 0 && !(buckets[k].bound > buckets[k - 1].bound)) throw this.error(`buckets of ${name} are out of order`);
      if (k > 0 && buckets[k].count < buckets[k - 1].count) throw this.error(`bucket counts of ${name} decrease`);
    }
    if ((count === null) !== (sum === null))
      throw this.error(`histogram ${name} needs both or neither of sum and count`);
    if (count !== null && count !== last.count) throw this.error(`count of ${name} differs from its +Inf bucket`);
    if (sum !== null && type === "histogram" && negative)
      throw this.error(`histogram ${name} with negative buckets has no sum`);
    if (sum !== null && !negative && sum < 0) throw this.error(`sum of ${name} must not be negative`);
  }

  private error(reason: string, line = this.lineNo): ExpositionParseError {
    return new ExpositionParseError(reason, line);
  }
}

function belongsTo(family: MetricFamily, sampleName: string): boolean {
  if (!sampleName.startsWith(family.name)) return false;
  const suffix = sampleName.slice(family.name.length);
  return SUFFIXES[family.type].includes(suffix);
}

function sameGroup(a: readonly Label[], b: readonly Label[], skip1: string, skip2: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && (a[i].name === skip1 || a[i].name === skip2)) i++;
    while (j < b.length && (b[j].name === skip1 || b[j].name === skip2)) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a[i].name !== b[j].name || a[i].value !== b[j].value) return false;
    i++;
    j++;
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
