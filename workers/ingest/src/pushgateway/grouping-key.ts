import { unescapeUtf8LabelName } from "@edgeprom/http";
import type { Label } from "@edgeprom/tsdb";
import { compareLabelNames } from "../relabel";

/** A push path that cannot name a group; the Pushgateway answers these with 400. */
export class GroupingKeyError extends Error {
  override readonly name = "GroupingKeyError";
}

const BASE64_SUFFIX = "@base64";

/**
 * Parses the part of a push path after `/metrics/`: `job/<job>{/<label>/<value>}`, as the Pushgateway does.
 * A name suffixed `@base64` carries a URL-safe base64 value (padding optional; `=` is the empty value), label names
 * may use the `U__` escaping of UTF-8 names, and plain segments are percent-decoded. The result is sorted by name.
 */
export function parseGroupingKey(path: string): Label[] {
  const segments = path.split("/");
  if (segments.length < 2 || (segments[0] !== "job" && segments[0] !== `job${BASE64_SUFFIX}`)) {
    throw new GroupingKeyError(`push path must start with job/<job name>: ${path}`);
  }
  if (segments.length % 2 !== 0) {
    throw new GroupingKeyError(`odd number of path segments after the job: every label needs a value: ${path}`);
  }
  const labels = new Map<string, string>();
  for (let i = 0; i < segments.length; i += 2) {
    let name = percentDecode(segments[i]!);
    let value: string;
    if (name.endsWith(BASE64_SUFFIX)) {
      name = name.slice(0, -BASE64_SUFFIX.length);
      value = decodeBase64Url(segments[i + 1]!, name);
    } else {
      value = percentDecode(segments[i + 1]!);
    }
    name = unescapeUtf8LabelName(name);
    if (name === "") throw new GroupingKeyError(`empty label name in push path: ${path}`);
    if (name === "__name__" || name.startsWith("__")) {
      throw new GroupingKeyError(`label name "${name}" is reserved and cannot be part of a grouping key`);
    }
    if (labels.has(name)) throw new GroupingKeyError(`duplicate label name "${name}" in push path`);
    labels.set(name, value);
  }
  if (labels.get("job") === "") throw new GroupingKeyError("job name is required");
  return [...labels].map(([name, value]) => ({ name, value })).sort(compareLabelNames);
}

/** The grouping key as a path, the inverse of {@link parseGroupingKey} (base64 for every value, so any value fits). */
export function formatGroupingKeyPath(key: readonly Label[]): string {
  const job = key.find((l) => l.name === "job");
  const rest = key.filter((l) => l.name !== "job");
  return [job, ...rest]
    .filter((l): l is Label => l !== undefined)
    .map((l) => `${l.name}${BASE64_SUFFIX}/${encodeBase64Url(l.value)}`)
    .join("/");
}

function percentDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GroupingKeyError(`invalid percent-encoding in push path segment "${segment}"`);
  }
}

function decodeBase64Url(encoded: string, name: string): string {
  const trimmed = encoded.replace(/=+$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(trimmed) || trimmed.length % 4 === 1) {
    throw new GroupingKeyError(`invalid base64 encoding for label "${name}": "${encoded}"`);
  }
  const standard = trimmed.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(standard + "=".repeat((4 - (standard.length % 4)) % 4)), (c) => c.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new GroupingKeyError(`label "${name}" has a base64 value that is not valid UTF-8`);
  }
}

function encodeBase64Url(value: string): string {
  if (value === "") return "=";
  let binary = "";
  for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
