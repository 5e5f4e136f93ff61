// Prometheus's <size> (alecthomas/units Base2Bytes): a number with a required unit, B, KB, MB, GB, TB, PB, EB or
// the KiB..EiB spellings, all powers of 1024; decimals and sums ("1.5MB", "1GB512MB") are allowed; "0" needs no unit.

const UNIT_BYTES: Record<string, number> = { B: 1 };
["K", "M", "G", "T", "P", "E"].forEach((prefix, i) => {
  const bytes = 1024 ** (i + 1);
  UNIT_BYTES[`${prefix}B`] = bytes;
  UNIT_BYTES[`${prefix}iB`] = bytes;
});

const TERM = /([0-9]*(?:\.[0-9]*)?)([^0-9.]*)/y;

/** A string that is not a Prometheus size. */
export class SizeError extends Error {
  override readonly name = "SizeError";
}

/** Parses a size into bytes. */
export function parseSize(text: string): number {
  if (text === "0") return 0;
  if (text === "" || text.startsWith("-")) throw new SizeError(`invalid size ${JSON.stringify(text)}`);
  const body = text.startsWith("+") ? text.slice(1) : text;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < body.length) {
    const match = TERM.exec(body);
    if (!match || match[1] === "" || match[1] === ".") throw new SizeError(`invalid size ${JSON.stringify(text)}`);
    const unit = UNIT_BYTES[match[2]];
    if (unit === undefined) {
      throw new SizeError(
        `unknown unit ${JSON.stringify(match[2])} in size ${JSON.stringify(text)} (use B, KB, MB, GB, TB, PB or EB)`,
      );
    }
    total += Number(match[1]) * unit;
  }
  if (!body) throw new SizeError(`invalid size ${JSON.stringify(text)}`);
  return Math.floor(total);
}
