// Go's net/url escaping, so that scrape URLs are the ones Prometheus requests: Prometheus builds them with
// url.URL{Scheme, Host, Path, RawQuery: url.Values.Encode()}, and Go escapes more than encodeURIComponent does.

const utf8 = new TextEncoder();

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x5f || // _
    byte === 0x2e || // .
    byte === 0x7e // ~
  );
}

// In a path Go leaves these sub-delimiters alone; everything else that is not unreserved is escaped.
const PATH_SAFE = new Set([..."$&+,/:;=@"].map((char) => char.charCodeAt(0)));

function escape(text: string, keep: (byte: number) => boolean, spaceAsPlus: boolean): string {
  let out = "";
  for (const byte of utf8.encode(text)) {
    if (keep(byte)) out += String.fromCharCode(byte);
    else if (spaceAsPlus && byte === 0x20) out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Go's url.PathEscape-as-used-by-URL.String (encodePath mode). */
export function goEscapePath(path: string): string {
  return escape(path, (byte) => isUnreserved(byte) || PATH_SAFE.has(byte), false);
}

/** Go's url.QueryEscape. */
export function goQueryEscape(text: string): string {
  return escape(text, isUnreserved, true);
}

/** Go's url.Values.Encode: keys sorted, each value escaped, `key=value` pairs joined by `&`. */
export function goEncodeQuery(params: ReadonlyMap<string, readonly string[]>): string {
  const keys = [...params.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: string[] = [];
  for (const key of keys) {
    for (const value of params.get(key) ?? []) parts.push(`${goQueryEscape(key)}=${goQueryEscape(value)}`);
  }
  return parts.join("&");
}
