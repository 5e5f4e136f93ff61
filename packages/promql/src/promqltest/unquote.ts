export class StringSyntaxError extends Error {
  override readonly name = "StringSyntaxError";
}

/** Go's strconv.Unquote for "…", '…' and `…` literals (what PromQL and the test DSL accept). */
export function unquote(text: string): string {
  const q = text[0];
  if (text.length < 2 || text[text.length - 1] !== q || (q !== '"' && q !== "'" && q !== "`")) {
    throw new StringSyntaxError(`invalid quoted string ${text}`);
  }
  const body = text.slice(1, -1);
  if (q === "`") return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case "v":
        out += "\v";
        break;
      case "\\":
      case '"':
      case "'":
        out += e;
        break;
      case "x":
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case "u":
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      case "U":
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      default:
        if (e >= "0" && e <= "7") {
          out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
          i += 2;
        } else {
          throw new StringSyntaxError(`invalid escape \\${e} in ${text}`);
        }
    }
  }
  return out;
}
