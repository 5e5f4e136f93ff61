/**
 * Formats an IP address the way Go's net.IP.String does, so that DNS-discovered addresses match Prometheus's:
 * IPv6 in RFC 5952 form (lowercase, no leading zeros, the longest run of two or more zero groups as `::`) and
 * IPv4-mapped IPv6 addresses as plain IPv4. Returns undefined for text that is not an address.
 */
export function canonicalIp(text: string): string | undefined {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(text)) {
    return text.split(".").every((part) => Number(part) <= 255) ? text.split(".").map(Number).join(".") : undefined;
  }
  const groups = parseIpv6(text);
  if (!groups) return undefined;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join(".");
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

function parseIpv6(text: string): number[] | undefined {
  let body = text;
  // An embedded IPv4 tail ("::ffff:1.2.3.4") becomes its two 16-bit groups.
  if (body.includes(".")) {
    const colon = body.lastIndexOf(":");
    const ipv4 = body.slice(colon + 1);
    if (colon < 0 || !/^\d{1,3}(?:\.\d{1,3}){3}$/.test(ipv4)) return undefined;
    const bytes = ipv4.split(".").map(Number);
    if (bytes.some((byte) => byte > 255)) return undefined;
    const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
    body = `${body.slice(0, colon + 1)}${hex(bytes[0], bytes[1])}:${hex(bytes[2], bytes[3])}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (![...head, ...rest].every((word) => /^[0-9a-fA-F]{1,4}$/.test(word))) return undefined;
  const explicit = head.length + rest.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const numbers = (list: string[]) => list.map((word) => parseInt(word, 16));
  return [...numbers(head), ...new Array<number>(8 - explicit).fill(0), ...numbers(rest)];
}

/** Go's net.JoinHostPort: IPv6 literals in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
