import type { PushGroup } from "./store";

// Groups are kept as JSON in the Pushgateway object's SQLite. JSON has no NaN or infinities, which pushed values may
// be, so non-finite numbers are written as tagged strings.
const NON_FINITE = "\u0000f:";

export function encodeGroup(group: PushGroup): string {
  return JSON.stringify(group, (_key, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? `${NON_FINITE}${String(value)}` : value,
  );
}

export function decodeGroup(text: string): PushGroup {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === "string" && value.startsWith(NON_FINITE) ? Number(value.slice(NON_FINITE.length)) : value,
  ) as PushGroup;
}
