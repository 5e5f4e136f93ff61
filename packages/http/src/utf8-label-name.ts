/**
 * Label names in URL paths may use the `U__` escaping of UTF-8 names (`U__foo_2e_bar` is `foo.bar`, `__` is `_`),
 * as Prometheus 3's `/api/v1/label/<name>/values` accepts. A name that does not decode cleanly is kept as it is.
 */
export function unescapeUtf8LabelName(name: string): string {
  if (!name.startsWith("U__")) return name;
  const body = name.slice(3);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "_") {
      if (!/[A-Za-z0-9]/.test(ch)) return name;
      out += ch;
      continue;
    }
    if (body[i + 1] === "_") {
      out += "_";
      i++;
      continue;
    }
    const end = body.indexOf("_", i + 1);
    if (end < 0) return name;
    const hex = body.slice(i + 1, end);
    if (!/^[0-9A-Fa-f]+$/.test(hex)) return name;
    const codePoint = parseInt(hex, 16);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return name;
    out += String.fromCodePoint(codePoint);
    i = end;
  }
  return out;
}
