import { describe, expect, it } from "vitest";
import { compileRelabelRule, type Label } from "../relabel";
import { ScrapeLoopState, type ExposedSample, type ScrapeLoopOptions } from "./scrape-loop";

const labels = (map: Record<string, string>): Label[] =>
  Object.entries(map)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
const asMap = (list: readonly Label[]) => Object.fromEntries(list.map((label) => [label.name, label.value]));
const nameOf = (list: readonly Label[]) => asMap(list).__name__;

const target = labels({ instance: "h:1", job: "node" });

function options(overrides: Partial<ScrapeLoopOptions> = {}): ScrapeLoopOptions {
  return {
    targetLabels: target,
    honorLabels: false,
    honorTimestamps: true,
    trackTimestampsStaleness: false,
    metricRelabelConfigs: [],
    sampleLimit: 0,
    labelLimit: 0,
    labelNameLengthLimit: 0,
    labelValueLengthLimit: 0,
    extraScrapeMetrics: false,
    timeout: 10_000,
    ...overrides,
  };
}

const sample = (name: string, value: number, extra: Record<string, string> = {}, timestamp?: number) =>
  ({ labels: labels({ __name__: name, ...extra }), value, timestamp }) as ExposedSample<number>;

const reportOf = (outcome: { report: readonly { labels: readonly Label[]; value: number }[] }) =>
  Object.fromEntries(outcome.report.map((entry) => [nameOf(entry.labels), entry.value]));

describe("ScrapeLoopState", () => {
  it("stores samples with target labels at the scrape time and reports the scrape", () => {
    const loop = new ScrapeLoopState(options());
    const outcome = loop.append({
      timestamp: 1_000,
      duration: 250,
      result: { samples: [sample("a", 1), sample("b", 2, { x: "y" })] },
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.samples.map((s) => [asMap(s.labels), s.timestamp, s.value])).toEqual([
      [{ __name__: "a", instance: "h:1", job: "node" }, 1_000, 1],
      [{ __name__: "b", instance: "h:1", job: "node", x: "y" }, 1_000, 2],
    ]);
    expect(reportOf(outcome)).toEqual({
      up: 1,
      scrape_duration_seconds: 0.25,
      scrape_samples_scraped: 2,
      scrape_samples_post_metric_relabeling: 2,
      scrape_series_added: 2,
    });
    expect(asMap(outcome.report[0].labels)).toEqual({ __name__: "up", instance: "h:1", job: "node" });
    expect(outcome.staleMarkers).toEqual([]);
  });

  it("marks series that disappeared stale, and counts only new series as added", () => {
    const loop = new ScrapeLoopState(options());
    loop.append({ timestamp: 1_000, duration: 1, result: { samples: [sample("a", 1), sample("b", 1)] } });
    const second = loop.append({
      timestamp: 2_000,
      duration: 1,
      result: { samples: [sample("a", 2), sample("c", 1)] },
    });
    expect(second.staleMarkers.map((m) => [nameOf(m.labels), m.timestamp])).toEqual([["b", 2_000]]);
    expect(second.seriesAdded).toBe(1);
    const third = loop.append({ timestamp: 3_000, duration: 1, result: { samples: [sample("a", 3), sample("c", 2)] } });
    expect(third.staleMarkers).toEqual([]);
    expect(third.seriesAdded).toBe(0);
  });

  it("on a failed scrape stores nothing, marks everything stale and reports up 0", () => {
    const loop = new ScrapeLoopState(options());
    loop.append({ timestamp: 1_000, duration: 1, result: { samples: [sample("a", 1), sample("b", 1)] } });
    const failed = loop.append({ timestamp: 2_000, duration: 5, result: { error: "connection refused" } });
    expect(failed.error).toBe("connection refused");
    expect(failed.samples).toEqual([]);
    expect(failed.staleMarkers.map((m) => nameOf(m.labels))).toEqual(["a", "b"]);
    expect(reportOf(failed)).toMatchObject({ up: 0, scrape_samples_scraped: 0 });
    // Nothing is left to mark stale; series that come back are not "added" again (as Prometheus's cache).
    const again = loop.append({ timestamp: 3_000, duration: 1, result: { error: "connection refused" } });
    expect(again.staleMarkers).toEqual([]);
    const back = loop.append({ timestamp: 4_000, duration: 1, result: { samples: [sample("a", 1)] } });
    expect(back.seriesAdded).toBe(0);
  });

  it("fails the whole scrape above sample_limit, counting after metric relabeling", () => {
    const loop = new ScrapeLoopState(
      options({
        sampleLimit: 2,
        metricRelabelConfigs: [compileRelabelRule({ sourceLabels: ["__name__"], regex: "drop_.*", action: "drop" })],
      }),
    );
    const within = loop.append({
      timestamp: 1_000,
      duration: 1,
      result: { samples: [sample("a", 1), sample("drop_me", 1), sample("b", 1)] },
    });
    expect(within.error).toBeUndefined();
    expect(reportOf(within)).toMatchObject({ scrape_samples_scraped: 3, scrape_samples_post_metric_relabeling: 2 });
    const over = loop.append({
      timestamp: 2_000,
      duration: 1,
      result: { samples: [sample("a", 1), sample("b", 1), sample("c", 1), sample("d", 1)] },
    });
    expect(over.error).toBe("sample limit exceeded");
    expect(over.samples).toEqual([]);
    expect(over.staleMarkers.map((m) => nameOf(m.labels))).toEqual(["a", "b"]);
    expect(reportOf(over)).toMatchObject({
      up: 0,
      scrape_samples_scraped: 4,
      scrape_samples_post_metric_relabeling: 4,
    });
  });

  it("fails the scrape on a label limit", () => {
    const loop = new ScrapeLoopState(options({ labelLimit: 3 }));
    const outcome = loop.append({ timestamp: 1, duration: 1, result: { samples: [sample("a", 1, { x: "1" })] } });
    expect(outcome.error).toBe("label_limit exceeded (metric: a, number of labels: 4, limit: 3)");
  });

  it("honours exposed timestamps and leaves those series out of staleness", () => {
    const loop = new ScrapeLoopState(options());
    const first = loop.append({ timestamp: 5_000, duration: 1, result: { samples: [sample("a", 1, {}, 4_000)] } });
    expect(first.samples[0].timestamp).toBe(4_000);
    const second = loop.append({ timestamp: 6_000, duration: 1, result: { samples: [] } });
    expect(second.staleMarkers).toEqual([]);

    const tracking = new ScrapeLoopState(options({ trackTimestampsStaleness: true }));
    tracking.append({ timestamp: 5_000, duration: 1, result: { samples: [sample("a", 1, {}, 4_000)] } });
    expect(tracking.append({ timestamp: 6_000, duration: 1, result: { samples: [] } }).staleMarkers).toHaveLength(1);

    const ignoring = new ScrapeLoopState(options({ honorTimestamps: false }));
    expect(
      ignoring.append({ timestamp: 5_000, duration: 1, result: { samples: [sample("a", 1, {}, 4_000)] } }).samples[0]
        .timestamp,
    ).toBe(5_000);
  });

  it("keeps the first of duplicate series in one scrape", () => {
    const loop = new ScrapeLoopState(options());
    const outcome = loop.append({ timestamp: 1, duration: 1, result: { samples: [sample("a", 1), sample("a", 2)] } });
    expect(outcome.samples.map((s) => s.value)).toEqual([1]);
    expect(outcome.duplicateSamples).toBe(1);
  });

  it("reports the extra scrape metrics when asked", () => {
    const loop = new ScrapeLoopState(options({ extraScrapeMetrics: true, sampleLimit: 100, timeout: 5_000 }));
    const outcome = loop.append({ timestamp: 1, duration: 1, result: { samples: [] }, bodySize: 123 });
    expect(reportOf(outcome)).toMatchObject({
      scrape_timeout_seconds: 5,
      scrape_sample_limit: 100,
      scrape_body_size_bytes: 123,
    });
  });

  it("survives a restart through previousSeries, and stop() marks everything stale", () => {
    const loop = new ScrapeLoopState(options());
    loop.append({ timestamp: 1_000, duration: 1, result: { samples: [sample("a", 1), sample("b", 1)] } });
    const restarted = new ScrapeLoopState(options(), loop.previousSeries());
    const next = restarted.append({ timestamp: 2_000, duration: 1, result: { samples: [sample("a", 1)] } });
    expect(next.staleMarkers.map((m) => nameOf(m.labels))).toEqual(["b"]);
    expect(next.seriesAdded).toBe(0);
    const markers = restarted.stop(3_000);
    expect(markers.map((m) => nameOf(m.labels))).toEqual([
      "a",
      "up",
      "scrape_duration_seconds",
      "scrape_samples_scraped",
      "scrape_samples_post_metric_relabeling",
      "scrape_series_added",
    ]);
    expect(markers.every((m) => m.timestamp === 3_000)).toBe(true);
  });

  it("gives the same results when series repeat across scrapes (relabel cache)", () => {
    const loop = new ScrapeLoopState(
      options({
        labelLimit: 4,
        metricRelabelConfigs: [
          compileRelabelRule({ sourceLabels: ["__name__"], regex: "drop_.*", action: "drop" }),
          compileRelabelRule({
            sourceLabels: ["__name__"],
            regex: "old_(.*)",
            targetLabel: "__name__",
            replacement: "new_$1",
          }),
        ],
      }),
    );
    const input = [sample("old_a", 1), sample("drop_b", 2), sample("c", 3, { job: "exposed" }), sample("old_a", 4)];
    const runs = [1, 2, 3].map((round) =>
      loop.append({ timestamp: round * 1_000, duration: 1, result: { samples: input } }),
    );
    for (const outcome of runs) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.samples.map((s) => [asMap(s.labels), s.value])).toEqual([
        [{ __name__: "new_a", instance: "h:1", job: "node" }, 1],
        [{ __name__: "c", exported_job: "exposed", instance: "h:1", job: "node" }, 3],
      ]);
      expect(outcome.duplicateSamples).toBe(1);
      expect(outcome.samplesPostMetricRelabeling).toBe(3);
    }
    // A series over the label limit still fails every scrape it appears in.
    const bad = [sample("c", 1, { x: "1", y: "2" })];
    expect(loop.append({ timestamp: 4_000, duration: 1, result: { samples: bad } }).error).toMatch(
      /^label_limit exceeded/,
    );
    expect(loop.append({ timestamp: 5_000, duration: 1, result: { samples: bad } }).error).toMatch(
      /^label_limit exceeded/,
    );
    expect(loop.append({ timestamp: 6_000, duration: 1, result: { samples: input } }).error).toBeUndefined();
  });
});
