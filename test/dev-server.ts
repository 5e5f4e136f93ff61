import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DevServer {
  url: string;
  /** Milliseconds from `npm run dev` to the first healthy answer. */
  startupMs: number;
  output(): string;
  stop(): Promise<void>;
  /** Sends `signal` to `npm run dev` and its process group, as a terminal does (Ctrl-C, closing the window). */
  signal(signal: NodeJS.Signals): void;
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Signals a process group; one that is already gone (the exit not yet reported to us) is fine. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts `npm run dev` exactly as a user does, with its own state folder, on `port` (a free one by default). The
 * end-to-end tests use 8787, where the default `edgeprom.yml` scrapes edgeprom itself.
 */
export async function startDevServer(
  options: { timeoutMs?: number; extraArgs?: string[]; port?: number; skipBuild?: boolean } = {},
): Promise<DevServer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = options.port ?? (await freePort());
  if (options.port !== undefined && !(await portIsFree(port))) {
    throw new Error(`port ${port} is in use: stop whatever listens there (another npm run dev?) and run again`);
  }
  const stateDir = mkdtempSync(join(tmpdir(), "edgeprom-dev-"));
  const started = Date.now();
  const child: ChildProcess = spawn(
    "npm",
    ["run", "dev", "--", "--port", String(port), "--persist-to", stateDir, ...(options.extraArgs ?? [])],
    {
      cwd: join(import.meta.dirname, ".."),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...(options.skipBuild ? { EDGEPROM_DEV_SKIP_BUILD: "1" } : {}) },
    },
  );
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      killGroup(child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) killGroup(child.pid, "SIGKILL");
    }
    rmSync(stateDir, { recursive: true, force: true });
  };

  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${url}/-/healthy`).then(
      (res) => res.ok,
      () => false,
    );
    const signal = (sig: NodeJS.Signals) => {
      if (child.exitCode === null && child.pid !== undefined) killGroup(child.pid, sig);
    };
    if (ok) return { url, startupMs: Date.now() - started, output: () => log, stop, signal };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`npm run dev did not answer /-/healthy within ${timeoutMs} ms:\n${log}`);
}
