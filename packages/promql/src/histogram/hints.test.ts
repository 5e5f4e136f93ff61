import { describe, expect, it } from "vitest";
import { resolvedCounterResetHint, SAMPLES_PER_CHUNK, storedCounterResetHints } from "./hints";
import { parseHistogram } from "./notation";
import { parseHistogramSequenceItem } from "./sequence";

const h = parseHistogram;
const seq = (text: string) => parseHistogramSequenceItem(text, 0).values;

describe("storedCounterResetHints", () => {
  it("reads counters as not_reset after the first of each chunk", () => {
    // range_queries.test: {{count:0}}+{{count:1}}x4 reads back as not_reset at 1m and 2m.
    expect(storedCounterResetHints(seq("{{count:0}}+{{count:1}}x4"))).toEqual([
      "unknown",
      "notCounterReset",
      "notCounterReset",
      "notCounterReset",
      "notCounterReset",
    ]);
  });

  it("starts a chunk at resets, flavour switches and layout changes", () => {
    const hints = storedCounterResetHints([
      h("{{count:5 buckets:[5]}}"),
      h("{{count:2 buckets:[2]}}"), // detected reset
      h("{{count:3 buckets:[3]}}"),
      h("{{count:4 buckets:[4] counter_reset_hint:reset}}"), // explicit reset
      h("{{count:1 counter_reset_hint:gauge}}"), // gauge
      h("{{count:6 counter_reset_hint:gauge}}"),
      h("{{count:7 buckets:[7]}}"), // back to counter
      h("{{schema:1 count:8 buckets:[8]}}"), // schema change
      h("{{schema:1 count:9 buckets:[9]}}"),
    ]);
    expect(hints).toEqual([
      "unknown",
      "unknown",
      "notCounterReset",
      "unknown",
      "gauge",
      "gauge",
      "unknown",
      "unknown",
      "notCounterReset",
    ]);
  });

  it("cuts a chunk after SAMPLES_PER_CHUNK histograms", () => {
    const hints = storedCounterResetHints(seq(`{{count:1}}+{{count:1}}x${SAMPLES_PER_CHUNK}`));
    expect(hints[SAMPLES_PER_CHUNK - 1]).toBe("notCounterReset");
    expect(hints[SAMPLES_PER_CHUNK]).toBe("unknown");
  });
});

describe("resolvedCounterResetHint", () => {
  it("resolves unknown hints by detection and keeps known ones", () => {
    const prev = h("{{count:3}}");
    expect(resolvedCounterResetHint(h("{{count:2}}"), prev)).toBe("counterReset");
    expect(resolvedCounterResetHint(h("{{count:4}}"), prev)).toBe("notCounterReset");
    expect(resolvedCounterResetHint(h("{{count:2}}"), undefined)).toBe("unknown");
    expect(resolvedCounterResetHint(h("{{count:2 counter_reset_hint:gauge}}"), prev)).toBe("gauge");
    expect(resolvedCounterResetHint(h("{{count:2 counter_reset_hint:not_reset}}"), prev)).toBe("notCounterReset");
  });
});
