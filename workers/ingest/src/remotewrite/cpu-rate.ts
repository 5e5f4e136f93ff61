// Benchmark timing for a shared machine: throughput per second of this process's CPU time (user + system), not
// wall time, so that other work on the machine does not count against us; the best of several short rounds,
// interleaved across the variants compared, so that one noisy moment does not decide a comparison.

interface CpuClock {
  cpuUsage(): { user: number; system: number };
}

const nodeProcess = (globalThis as { process?: CpuClock }).process;

/** Microseconds of CPU time used so far (wall time where the runtime has no CPU clock). */
function cpuMicros(): number {
  if (nodeProcess !== undefined) {
    const { user, system } = nodeProcess.cpuUsage();
    return user + system;
  }
  return performance.now() * 1000;
}

/** Calls per CPU-second of each function: warm-up, then `rounds` interleaved rounds of about `roundMs`, best kept. */
export function cpuRates<K extends string>(
  fns: Record<K, () => unknown>,
  rounds = 5,
  roundMs = 300,
): Record<K, number> {
  const keys = Object.keys(fns) as K[];
  const best = {} as Record<K, number>;
  for (const k of keys) {
    for (let i = 0; i < 30; i++) fns[k]();
    best[k] = 0;
  }
  for (let round = 0; round < rounds; round++) {
    for (const k of keys) {
      const fn = fns[k];
      let calls = 0;
      const start = cpuMicros();
      let used = 0;
      while (used < roundMs * 1000) {
        for (let i = 0; i < 5; i++) fn();
        calls += 5;
        used = cpuMicros() - start;
      }
      best[k] = Math.max(best[k], (calls * 1e6) / used);
    }
  }
  return best;
}
