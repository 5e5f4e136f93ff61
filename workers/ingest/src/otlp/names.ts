// Prometheus's default OTLP name translation (`UnderscoreEscapingWithSuffixes`): metric names become legacy
// Prometheus names with unit and type suffixes, attribute names become legacy label names.

const UNIT_NAMES: Readonly<Record<string, string>> = {
  d: "days",
  h: "hours",
  min: "minutes",
  s: "seconds",
  ms: "milliseconds",
  us: "microseconds",
  ns: "nanoseconds",
  By: "bytes",
  KiBy: "kibibytes",
  MiBy: "mebibytes",
  GiBy: "gibibytes",
  TiBy: "tibibytes",
  KBy: "kilobytes",
  MBy: "megabytes",
  GBy: "gigabytes",
  TBy: "terabytes",
  m: "meters",
  V: "volts",
  A: "amperes",
  J: "joules",
  W: "watts",
  g: "grams",
  Cel: "celsius",
  Hz: "hertz",
  "1": "",
  "%": "percent",
};

const PER_UNIT_NAMES: Readonly<Record<string, string>> = {
  s: "second",
  m: "minute",
  h: "hour",
  d: "day",
  w: "week",
  mo: "month",
  y: "year",
};

export type OtlpMetricKind = "gauge" | "counter" | "histogram" | "summary";

/** The main and per-unit words of a UCUM unit (`By/s` → bytes, second); `{annotations}` are dropped. */
export function unitWords(unit: string): { main: string; per: string } {
  const cleaned = unit.replace(/\{[^}]*\}/g, "").trim();
  if (cleaned === "") return { main: "", per: "" };
  const slash = cleaned.indexOf("/");
  const mainUnit = slash < 0 ? cleaned : cleaned.slice(0, slash);
  const perUnit = slash < 0 ? "" : cleaned.slice(slash + 1);
  return {
    main: sanitizeUnitWord(UNIT_NAMES[mainUnit] ?? mainUnit),
    per: sanitizeUnitWord(PER_UNIT_NAMES[perUnit] ?? perUnit),
  };
}

function sanitizeUnitWord(word: string): string {
  return word.replace(/[^a-zA-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/**
 * `http.server.duration` with unit `ms` and kind counter → `http_server_duration_milliseconds_total`. Runs of
 * characters outside `[a-zA-Z0-9:]` (underscores included) separate words; suffixes already present are not repeated.
 */
export function prometheusMetricName(name: string, unit: string, kind: OtlpMetricKind): string {
  let tokens = name.split(/[^a-zA-Z0-9:]+/).filter((t) => t !== "");
  const { main, per } = unitWords(unit);
  if (main !== "" && !tokens.includes(main)) tokens.push(main);
  if (per !== "" && !tokens.includes(per)) tokens.push("per", per);
  if (kind === "counter") tokens = [...tokens.filter((t) => t !== "total"), "total"];
  if (unit === "1" && kind === "gauge") tokens = [...tokens.filter((t) => t !== "ratio"), "ratio"];
  const joined = tokens.join("_");
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** An attribute key as a legacy label name: other characters become `_`, a leading digit or single `_` gets `key`. */
export function prometheusLabelName(key: string): string {
  if (key === "") return key;
  const sanitized = key.replace(/[^a-zA-Z0-9_]/g, "_");
  if (/^[0-9]/.test(sanitized)) return `key_${sanitized}`;
  if (sanitized.startsWith("_") && !sanitized.startsWith("__")) return `key${sanitized}`;
  return sanitized;
}
