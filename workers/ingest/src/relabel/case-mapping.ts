// Go's strings.ToLower/ToUpper map each code point on its own (Unicode simple case mapping). JavaScript's
// toLowerCase/toUpperCase apply full and context-sensitive mappings ("ß" → "SS", final sigma, "İ" → "i̇"), so
// non-ASCII text is mapped one code point at a time, keeping a code point whose JS mapping expands to several.

// The one expanding mapping whose simple form is not the code point itself: U+0130 lowercases to "i".
const SIMPLE_LOWER_EXCEPTIONS: Record<string, string> = { "\u0130": "i" };

export function goToLower(value: string): string {
  if (isAscii(value)) return value.toLowerCase();
  let out = "";
  for (const char of value) {
    const exception = SIMPLE_LOWER_EXCEPTIONS[char];
    if (exception !== undefined) {
      out += exception;
      continue;
    }
    const mapped = char.toLowerCase();
    out += [...mapped].length === 1 ? mapped : char;
  }
  return out;
}

export function goToUpper(value: string): string {
  if (isAscii(value)) return value.toUpperCase();
  let out = "";
  for (const char of value) {
    const mapped = char.toUpperCase();
    out += [...mapped].length === 1 ? mapped : char;
  }
  return out;
}

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}
