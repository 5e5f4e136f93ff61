import { describe, expect, it } from "vitest";
import { unescapeUtf8LabelName } from "./utf8-label-name";

describe("unescapeUtf8LabelName", () => {
  it("decodes U__ escaping and leaves other names alone", () => {
    expect(unescapeUtf8LabelName("U__foo_2e_bar")).toBe("foo.bar");
    expect(unescapeUtf8LabelName("U___55_____")).toBe("U__");
    expect(unescapeUtf8LabelName("U__smile_1F60A_")).toBe("smile😊");
    expect(unescapeUtf8LabelName("plain_name")).toBe("plain_name");
  });

  it("keeps names that start with U__ but do not decode", () => {
    expect(unescapeUtf8LabelName("U__in_xxx_valid")).toBe("U__in_xxx_valid");
    expect(unescapeUtf8LabelName("U__bad_D800_")).toBe("U__bad_D800_");
    expect(unescapeUtf8LabelName("U__open_2e")).toBe("U__open_2e");
  });
});
