import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "../expfmt/index";
import { parseGroupingKey } from "./grouping-key";
import { exposedSamples, PushRejectedError, PushStore } from "./store";

const key = (path: string) => parseGroupingKey(path);
const text = (body: string) => parsePrometheusText(body);

function exposed(store: PushStore): string[] {
  return store
    .exposed()
    .map((s) => `${s.labels.map((l) => `${l.name}=${l.value}`).join(",")} ${s.value}`)
    .sort();
}

describe("PushStore", () => {
  it("exposes pushed metrics with the grouping key winning over pushed labels, plus push times", () => {
    const store = new PushStore();
    store.push(
      "PUT",
      key("job/backup/instance/db1"),
      text('# TYPE backup_bytes gauge\nbackup_bytes{job="other",disk="a"} 42\n'),
      1000,
    );
    expect(exposed(store)).toEqual([
      "__name__=backup_bytes,disk=a,instance=db1,job=backup 42",
      "__name__=push_failure_time_seconds,instance=db1,job=backup 0",
      "__name__=push_time_seconds,instance=db1,job=backup 1000",
    ]);
  });

  it("replaces the whole group on PUT and only same-named metrics on POST", () => {
    const store = new PushStore();
    const k = key("job/batch");
    store.push("PUT", k, text("a 1\nb 2\n"), 10);
    store.push("POST", k, text("b 3\nc 4\n"), 20);
    expect(store.get(k)!.families.map((f) => `${f.name}=${f.samples[0]!.value}`)).toEqual(["a=1", "b=3", "c=4"]);
    store.push("PUT", k, text("d 5\n"), 30);
    expect(store.get(k)!.families.map((f) => f.name)).toEqual(["d"]);
    // An empty PUT keeps the group but drops its metrics; push_time_seconds moves on.
    store.push("PUT", k, [], 40);
    expect(exposed(store)).toEqual([
      "__name__=push_failure_time_seconds,job=batch 0",
      "__name__=push_time_seconds,job=batch 40",
    ]);
  });

  it("refuses type conflicts, duplicate series across groups and timestamps, recording the failure", () => {
    const store = new PushStore();
    store.push("PUT", key("job/a"), text('# TYPE jobs_total counter\njobs_total{shard="1"} 1\n'), 10);
    expect(() => store.push("PUT", key("job/b"), text("# TYPE jobs_total gauge\njobs_total 1\n"), 20)).toThrow(
      PushRejectedError,
    );
    expect(store.get(key("job/b"))).toMatchObject({ families: [], pushTimeSeconds: 0, pushFailureTimeSeconds: 20 });
    // The same series after the key is applied: {job="a", shard="1"} already comes from the first group.
    expect(() =>
      store.push("PUT", key("job/a/shard/1"), text("# TYPE jobs_total counter\njobs_total 2\n"), 30),
    ).toThrow(/duplicate series/);
    expect(() => store.push("PUT", key("job/c"), text("stamped 1 1700000000000\n"), 40)).toThrow(/timestamp/);
    expect(() => store.push("PUT", key("job/d"), text("push_time_seconds 1\n"), 50)).toThrow(
      /maintained by the Pushgateway/,
    );
    // A group may change its own metric's type: nothing else exposes it.
    expect(() => store.push("PUT", key("job/a"), text("# TYPE jobs_total gauge\njobs_total 5\n"), 60)).not.toThrow();
  });

  it("deletes groups, including ones that never existed, and wipes everything", () => {
    const store = new PushStore();
    store.push("PUT", key("job/a"), text("x 1\n"), 10);
    store.push("PUT", key("job/b"), text("y 1\n"), 10);
    expect(store.delete(key("job/nope"))).toBeUndefined();
    expect(store.delete(key("job/a"))?.families[0]!.name).toBe("x");
    expect(store.groups().map((g) => g.key[0]!.value)).toEqual(["b"]);
    expect(store.wipe()).toHaveLength(1);
    expect(store.exposed()).toEqual([]);
  });

  it("drops an empty instance label instead of storing it", () => {
    const samples = exposedSamples({
      key: key("job/x/instance@base64/="),
      families: text("m 1\n"),
      pushTimeSeconds: 1,
      pushFailureTimeSeconds: 0,
    });
    expect(samples[0]!.labels).toEqual([
      { name: "__name__", value: "m" },
      { name: "job", value: "x" },
    ]);
  });
});
