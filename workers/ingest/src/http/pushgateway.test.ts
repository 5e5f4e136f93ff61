import {
  createExecutionContext,
  createScheduledController,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
  SELF,
  waitOnExecutionContext,
} from "cloudflare:test";
import worker from "../../../../src/index";
import { describe, expect, it } from "vitest";

const LOOPBACK = { "CF-Connecting-IP": "127.0.0.1" };

function push(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`http://edgeprom.test${path}`, { method, body, headers: { ...LOOPBACK, ...headers } });
}

async function instant(query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await SELF.fetch(`http://edgeprom.test/api/v1/query?query=${encodeURIComponent(query)}`, {
    headers: LOOPBACK,
  });
  return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } })
    .data.result;
}

describe("the Pushgateway API", () => {
  it("stores a PUT group as series queryable at once, with the grouping key as labels", async () => {
    const res = await push(
      "PUT",
      "/metrics/job/backup/instance/db1",
      '# TYPE backup_last_success_seconds gauge\nbackup_last_success_seconds{job="ignored"} 1700000000\n',
    );
    expect(res.status).toBe(200);
    expect(await instant("backup_last_success_seconds")).toMatchObject([
      {
        metric: { __name__: "backup_last_success_seconds", instance: "db1", job: "backup" },
        value: [expect.any(Number), "1700000000"],
      },
    ]);
    const pushTime = await instant('push_time_seconds{job="backup"}');
    expect(Number(pushTime[0]!.value[1])).toBeGreaterThan(1_700_000_000);
  });

  it("replaces same-named metrics on POST, keeps the rest, and refuses inconsistent pushes with 400", async () => {
    expect((await push("PUT", "/metrics/job/etl", "rows_loaded 10\nrows_failed 1\n")).status).toBe(200);
    expect((await push("POST", "/metrics/job/etl", "rows_loaded 20\n")).status).toBe(200);
    expect(
      (await instant('{job="etl", __name__=~"rows_.*"}')).map((r) => `${r.metric.__name__}=${r.value[1]}`).sort(),
    ).toEqual(["rows_failed=1", "rows_loaded=20"]);
    const stamped = await push("POST", "/metrics/job/etl", "rows_loaded 30 1700000000000\n");
    expect(stamped.status).toBe(400);
    expect(await stamped.text()).toContain("timestamp");
    const garbage = await push("PUT", "/metrics/job/etl", "this is { not metrics\n");
    expect(garbage.status).toBe(400);
    const failure = await instant('push_failure_time_seconds{job="etl"}');
    expect(Number(failure[0]!.value[1])).toBeGreaterThan(0);
  });

  it("deletes a group with 202 and marks its series stale", async () => {
    expect((await push("PUT", "/metrics/job/temp/path@base64/L3Zhci90bXA", "temp_files 3\n")).status).toBe(200);
    expect(await instant("temp_files")).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await push("DELETE", "/metrics/job/temp/path@base64/L3Zhci90bXA")).status).toBe(202);
    expect(await instant("temp_files")).toEqual([]);
    expect((await push("DELETE", "/metrics/job/never-pushed")).status).toBe(202);
  });

  it("lists groups on /api/v1/metrics, refreshes them on its alarm and wipes them", async () => {
    expect((await push("PUT", "/metrics/job/listed", "# HELP jobs Jobs.\n# TYPE jobs counter\njobs 4\n")).status).toBe(
      200,
    );
    const list = await SELF.fetch("http://edgeprom.test/api/v1/metrics", { headers: LOOPBACK });
    const body = (await list.json()) as { status: string; data: Record<string, unknown>[] };
    const group = body.data.find((g) => (g.labels as Record<string, string>).job === "listed")!;
    expect(group).toMatchObject({
      labels: { job: "listed" },
      last_push_successful: true,
      jobs: { type: "COUNTER", help: "Jobs.", metrics: [{ labels: { job: "listed" }, value: "4" }] },
    });
    const stub = env.PUSHGATEWAY.get(env.PUSHGATEWAY.idFromName("default"));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await push("PUT", "/api/v1/admin/wipe")).status).toBe(202);
    expect(await stub.groups()).toEqual([]);
  });

  it("refuses paths that name no group", async () => {
    expect((await push("PUT", "/metrics/job/x/lonely", "m 1\n")).status).toBe(400);
    expect((await push("PUT", "/metrics/job/x/__name__/y", "m 1\n")).status).toBe(400);
  });

  it("has the cron trigger restart a refresh alarm that stopped", async () => {
    expect((await push("PUT", "/metrics/job/cron", "m 1\n")).status).toBe(200);
    const stub = env.PUSHGATEWAY.get(env.PUSHGATEWAY.idFromName("default"));
    await runInPushgateway(stub, async (state) => state.storage.deleteAlarm());
    expect(await stub.ensureRefreshing()).toBe(true);
    expect(await stub.ensureRefreshing()).toBe(false);
    await runInPushgateway(stub, async (state) => state.storage.deleteAlarm());
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await runInPushgateway(stub, async (state) => state.storage.getAlarm())).not.toBeNull();
  });
});

function runInPushgateway<T>(stub: DurableObjectStub, fn: (state: DurableObjectState) => Promise<T>): Promise<T> {
  return runInDurableObject(stub, (_instance: unknown, state: DurableObjectState) => fn(state));
}
