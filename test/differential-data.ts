import type { SeriesToWrite } from "../workers/ingest/src/remotewrite/encode";

const STALE = new Float64Array(new Uint32Array([2, 0x7ff00000]).buffer)[0]!;

/** A seeded PRNG (mulberry32), so both systems get the very same data every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function labels(record: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(record)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface DifferentialData {
  start: number;
  end: number;
  series: SeriesToWrite[];
}

/**
 * The data set both systems receive: counters with resets, gauges, classic histograms, a series that starts late,
 * series that end with and without a stale marker, and label values that need escaping. Samples sit on a 15 s
 * grid from `start`; the differential test puts that grid off the one its queries use.
 */
export function differentialData(start: number, minutes = 60): DifferentialData {
  const random = rng(42);
  const step = 15_000;
  const points = (minutes * 60_000) / step;
  const series: SeriesToWrite[] = [];
  const grid = (from = 0, to = points) => Array.from({ length: to - from }, (_, i) => start + (from + i) * step);

  for (const [job, instances] of [
    ["api", ["a:80", "b:80", "c:80"]],
    ["db", ["d:5432", "e:5432"]],
  ] as const) {
    for (const instance of instances) {
      for (const code of ["200", "500"]) {
        let value = random() * 100;
        const rate = code === "200" ? 5 + random() * 20 : random();
        series.push({
          labels: labels({ __name__: "http_requests_total", job, instance, code }),
          samples: grid().map((timestamp, i) => {
            // A counter reset a third of the way in for one instance.
            if (instance === "b:80" && i === Math.floor(points / 3)) value = random() * 3;
            else value += rate * 15 * (0.5 + random());
            return { timestamp, value: Math.round(value * 1000) / 1000 };
          }),
        });
      }
      series.push({
        labels: labels({ __name__: "node_memory_free_bytes", job, instance }),
        samples: grid().map((timestamp) => ({ timestamp, value: Math.round(1e9 + random() * 5e8) })),
      });
      series.push({
        labels: labels({ __name__: "temperature_celsius", job, instance }),
        samples: grid().map((timestamp, i) => ({ timestamp, value: 20 + Math.sin(i / 10) * 5 + random() })),
      });
    }
  }
  // A classic histogram.
  const bounds = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
  for (const handler of ["/home", "/search"]) {
    const counts = bounds.map(() => 0);
    let sum = 0;
    const perBucket: { timestamp: number; values: number[]; sum: number }[] = [];
    for (const timestamp of grid()) {
      for (let n = 0; n < 20; n++) {
        const observation = random() * random() * 3;
        sum += observation;
        bounds.forEach((b, k) => {
          if (b === "+Inf" || observation <= Number(b)) counts[k]! += 1;
        });
      }
      perBucket.push({ timestamp, values: [...counts], sum });
    }
    bounds.forEach((le, k) =>
      series.push({
        labels: labels({ __name__: "request_duration_seconds_bucket", job: "api", handler, le }),
        samples: perBucket.map((p) => ({ timestamp: p.timestamp, value: p.values[k]! })),
      }),
    );
    series.push({
      labels: labels({ __name__: "request_duration_seconds_sum", job: "api", handler }),
      samples: perBucket.map((p) => ({ timestamp: p.timestamp, value: p.sum })),
    });
    series.push({
      labels: labels({ __name__: "request_duration_seconds_count", job: "api", handler }),
      samples: perBucket.map((p) => ({ timestamp: p.timestamp, value: p.values[bounds.length - 1]! })),
    });
  }
  // Series that start late, end with a stale marker, end without one, and values that need escaping.
  series.push({
    labels: labels({ __name__: "batch_items", job: "batch", kind: "late" }),
    samples: grid(points / 2).map((timestamp, i) => ({ timestamp, value: i })),
  });
  series.push({
    labels: labels({ __name__: "batch_items", job: "batch", kind: "stale" }),
    samples: [
      ...grid(0, points / 2).map((timestamp, i) => ({ timestamp, value: i * 2 })),
      { timestamp: start + (points / 2) * step, value: STALE },
    ],
  });
  series.push({
    labels: labels({ __name__: "batch_items", job: "batch", kind: "vanished" }),
    samples: grid(0, points / 3).map((timestamp, i) => ({ timestamp, value: 100 - i })),
  });
  series.push({
    labels: labels({ __name__: "escaped_info", job: "batch", path: 'C:\\temp\\"quoted" dir', tab: "a\tb" }),
    samples: grid().map((timestamp) => ({ timestamp, value: 1 })),
  });
  return { start, end: start + (points - 1) * step, series };
}
