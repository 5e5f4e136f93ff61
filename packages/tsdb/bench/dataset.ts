import { labelsOf, type Labels } from "../src/labels/index";
import { SeededRandom } from "./seeded-random";

/**
 * A realistic, deterministic data set shaped like node_exporter scrapes: per host, CPU-seconds counters (USER_HZ
 * ticks / 100, as node_exporter reports them), byte and packet counters with bursts, disks that are often idle,
 * integer gauges drifting in 4 KiB steps, 2-decimal load averages, full-entropy floats (scrape durations), and
 * constant series. Hosts are scraped every `intervalMs` at their own offset within the interval, with optional
 * timestamp jitter; a host may restart once (every counter of it resets). Same options, same data.
 */
export interface DatasetOptions {
  seed: number;
  hosts: number;
  /** Start of the first scrape interval (ms). */
  start: number;
  intervalMs: number;
  samplesPerSeries: number;
  /**
   * Largest timestamp jitter in ms (uniform in ±jitterMs). Default 0: Prometheus aligns scrape timestamps to the
   * schedule when they are within its 2 ms tolerance, so most real timestamps are exact multiples.
   */
  jitterMs: number;
  /** Chance that a host restarts once during the data set (its counters reset). */
  restartChance: number;
}

export const DEFAULT_DATASET_OPTIONS: Readonly<DatasetOptions> = {
  seed: 1,
  hosts: 10,
  start: 1_700_000_000_000 - (1_700_000_000_000 % 7_200_000),
  intervalMs: 15_000,
  samplesPerSeries: 480,
  jitterMs: 0,
  restartChance: 0.2,
};

export type SeriesKind = "counter" | "gauge" | "constant";

export interface DatasetSeries {
  /** Metric family name (for counters without the `_total` suffix, as OpenMetrics names families). */
  family: string;
  help: string;
  kind: SeriesKind;
  labels: Labels;
  timestamps: Float64Array;
  values: Float64Array;
}

/** One series' value process: called once per scrape, `restart` true on the scrape after a host restart. */
type ValueStep = (restart: boolean) => number;

interface SeriesSpec {
  family: string;
  metric: string;
  help: string;
  kind: SeriesKind;
  labels: string[];
  step: ValueStep;
}

export function generateDataset(options: Partial<DatasetOptions> = {}): DatasetSeries[] {
  const o = { ...DEFAULT_DATASET_OPTIONS, ...options };
  const rng = new SeededRandom(o.seed);
  const out: DatasetSeries[] = [];
  for (let h = 0; h < o.hosts; h++) {
    const instance = `host-${String(h).padStart(3, "0")}:9100`;
    const specs = hostSeries(rng, o.intervalMs / 1000);
    const offset = rng.int(0, o.intervalMs - 1);
    const restartAt = rng.chance(o.restartChance) ? rng.int(1, o.samplesPerSeries - 1) : -1;
    const timestamps = new Float64Array(o.samplesPerSeries);
    for (let i = 0; i < o.samplesPerSeries; i++) {
      const jitter = o.jitterMs > 0 ? rng.int(-o.jitterMs, o.jitterMs) : 0;
      timestamps[i] = o.start + offset + i * o.intervalMs + jitter;
    }
    for (const spec of specs) {
      const values = new Float64Array(o.samplesPerSeries);
      for (let i = 0; i < o.samplesPerSeries; i++) values[i] = spec.step(i === restartAt);
      out.push({
        family: spec.family,
        help: spec.help,
        kind: spec.kind,
        labels: labelsOf("__name__", spec.metric, "instance", instance, "job", "node", ...spec.labels),
        timestamps: timestamps.slice(),
        values,
      });
    }
  }
  return out;
}

function hostSeries(rng: SeededRandom, intervalSeconds: number): SeriesSpec[] {
  const specs: SeriesSpec[] = [];
  const counter = (family: string, help: string, labels: string[], step: ValueStep) =>
    specs.push({ family, metric: `${family}_total`, help, kind: "counter", labels, step });
  const gauge = (family: string, help: string, labels: string[], step: ValueStep) =>
    specs.push({ family, metric: family, help, kind: "gauge", labels, step });
  const constant = (family: string, help: string, labels: string[], value: number) =>
    specs.push({ family, metric: family, help, kind: "constant", labels, step: () => value });

  const cpus = rng.pick([2, 4, 8]);
  const busy = rng.next() * 0.6;
  const modeShare: Record<string, number> = {
    idle: 1 - busy,
    user: busy * 0.6,
    system: busy * 0.25,
    iowait: busy * 0.08,
    irq: busy * 0.01,
    softirq: busy * 0.04,
    steal: busy * 0.02,
    nice: 0,
  };
  for (let cpu = 0; cpu < cpus; cpu++) {
    for (const mode of Object.keys(modeShare)) {
      // Integer USER_HZ ticks divided by 100, as node_exporter computes them.
      const ticksPerScrape = modeShare[mode] * intervalSeconds * 100;
      let ticks = rng.int(0, 1e7) * (mode === "nice" ? 0 : 1);
      counter("node_cpu_seconds", "Seconds the CPUs spent in each mode.", ["cpu", String(cpu), "mode", mode], (r) => {
        if (r) ticks = 0;
        ticks += Math.max(0, Math.round(ticksPerScrape * (1 + 0.1 * rng.normal())));
        return ticks / 100;
      });
    }
  }

  for (const device of ["eth0", "lo"]) {
    const bytesRate = device === "lo" ? rng.int(100, 5_000) : rng.int(10_000, 5_000_000);
    for (const [metric, scale] of [
      ["node_network_receive_bytes", 1],
      ["node_network_transmit_bytes", 0.7],
      ["node_network_receive_packets", 1 / 900],
      ["node_network_transmit_packets", 0.7 / 900],
    ] as const) {
      let total = rng.int(0, 1e12) * scale;
      total = Math.round(total);
      counter(metric, "Network device statistic.", ["device", device], (r) => {
        if (r) total = 0;
        const burst = rng.chance(0.05) ? 10 : 1;
        total += Math.round(bytesRate * scale * intervalSeconds * burst * Math.exp(0.5 * rng.normal()));
        return total;
      });
    }
  }

  for (const device of ["sda", "sdb"]) {
    let readBytes = rng.int(0, 1e11) * 512;
    let ioMs = rng.int(0, 1e9);
    let writes = rng.int(0, 1e7);
    const activity = device === "sda" ? 0.7 : 0.1;
    counter("node_disk_read_bytes", "The total number of bytes read successfully.", ["device", device], (r) => {
      if (r) readBytes = 0;
      if (rng.chance(activity)) readBytes += 512 * rng.int(1, 20_000);
      return readBytes;
    });
    counter("node_disk_io_time_seconds", "Total seconds spent doing I/Os.", ["device", device], (r) => {
      if (r) ioMs = 0;
      if (rng.chance(activity)) ioMs += rng.int(1, 3_000);
      return ioMs / 1000;
    });
    counter(
      "node_disk_writes_completed",
      "The total number of writes completed successfully.",
      ["device", device],
      (r) => {
        if (r) writes = 0;
        if (rng.chance(activity)) writes += rng.int(1, 400);
        return writes;
      },
    );
  }

  let contextSwitches = rng.int(0, 1e10);
  counter("node_context_switches", "Total number of context switches.", [], (r) => {
    if (r) contextSwitches = 0;
    contextSwitches += rng.int(20_000, 200_000);
    return contextSwitches;
  });
  let interrupts = rng.int(0, 1e10);
  counter("node_intr", "Total number of interrupts serviced.", [], (r) => {
    if (r) interrupts = 0;
    interrupts += rng.int(10_000, 100_000);
    return interrupts;
  });

  const memTotal = rng.pick([4, 8, 16, 32, 64]) * 1024 ** 3;
  let memAvailable = Math.round((memTotal * (0.3 + 0.5 * rng.next())) / 4096) * 4096;
  constant("node_memory_MemTotal_bytes", "Memory information field MemTotal_bytes.", [], memTotal);
  gauge("node_memory_MemAvailable_bytes", "Memory information field MemAvailable_bytes.", [], () => {
    memAvailable += 4096 * Math.round(rng.normal() * 2000);
    memAvailable = Math.min(memTotal, Math.max(4096, memAvailable));
    return memAvailable;
  });
  let cached = Math.round((memTotal * 0.2) / 4096) * 4096;
  gauge("node_memory_Cached_bytes", "Memory information field Cached_bytes.", [], () => {
    if (rng.chance(0.3)) cached += 4096 * rng.int(-200, 300);
    return cached;
  });

  let load = busy * cpus;
  for (const [metric, smoothing] of [
    ["node_load1", 0.3],
    ["node_load5", 0.08],
    ["node_load15", 0.03],
  ] as const) {
    let value = load;
    gauge(metric, "Load average.", [], () => {
      load = Math.max(0, load + 0.05 * rng.normal());
      value += smoothing * (load - value);
      return Math.round(value * 100) / 100;
    });
  }

  for (const mountpoint of ["/", "/boot", "/var"]) {
    const size = rng.int(1, 500) * 1024 ** 3;
    let avail = Math.round((size * rng.next()) / 4096) * 4096;
    const labels = ["device", `/dev/sda${mountpoint.length}`, "fstype", "ext4", "mountpoint", mountpoint];
    constant("node_filesystem_size_bytes", "Filesystem size in bytes.", labels, size);
    gauge("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", labels, () => {
      if (rng.chance(0.4)) avail = Math.max(0, avail - 4096 * rng.int(0, 500));
      if (rng.chance(0.01)) avail = Math.min(size, avail + 4096 * rng.int(0, 1_000_000));
      return avail;
    });
  }

  let bootTime = 1_699_000_000 + rng.int(0, 900_000);
  gauge("node_boot_time_seconds", "Node boot time, in unixtime.", [], (r) => {
    if (r) bootTime += 86_400;
    return bootTime;
  });
  let goroutines = rng.int(5, 12);
  gauge("go_goroutines", "Number of goroutines that currently exist.", [], () => {
    if (rng.chance(0.2)) goroutines = Math.max(5, goroutines + rng.int(-1, 1));
    return goroutines;
  });
  let rss = rng.int(10_000, 30_000) * 4096;
  gauge("process_resident_memory_bytes", "Resident memory size in bytes.", [], () => {
    rss += 4096 * rng.int(-50, 50);
    return rss;
  });
  // The long tail that dominates a real node_exporter page: error and drop counters that almost never move, memory
  // fields that never change, per-collector success flags, and per-collector durations (full-entropy floats).
  const rareCounter = (family: string, labels: string[], chance: number, maxStep: number) => {
    let value = rng.chance(0.5) ? 0 : rng.int(0, 10_000);
    counter(family, "Rarely changing counter.", labels, (r) => {
      if (r) value = 0;
      if (rng.chance(chance)) value += rng.int(1, maxStep);
      return value;
    });
  };
  for (const mode of ["nice", "user"]) {
    for (let cpu = 0; cpu < cpus; cpu++)
      rareCounter("node_cpu_guest_seconds", ["cpu", String(cpu), "mode", mode], 0, 1);
  }
  for (const device of ["eth0", "lo", "docker0"]) {
    for (const direction of ["receive", "transmit"]) {
      for (const what of ["errs", "drop", "fifo", "compressed", "multicast"]) {
        rareCounter(`node_network_${direction}_${what}`, ["device", device], what === "drop" ? 0.02 : 0.002, 3);
      }
    }
    constant("node_network_up", "Whether the interface is up.", ["device", device], device === "docker0" ? 0 : 1);
    constant("node_network_mtu_bytes", "MTU of the interface.", ["device", device], device === "lo" ? 65536 : 1500);
  }
  const memoryFields = ["Active", "Inactive", "Buffers", "Dirty", "Mapped", "Shmem", "Slab", "SReclaimable"];
  memoryFields.push("SUnreclaim", "PageTables", "KernelStack", "Committed_AS", "AnonPages", "Writeback");
  for (const field of memoryFields) {
    let value = rng.int(1, 200_000) * 4096;
    gauge(`node_memory_${field}_bytes`, `Memory information field ${field}_bytes.`, [], () => {
      if (rng.chance(0.5)) value = Math.max(0, value + 4096 * rng.int(-100, 100));
      return value;
    });
  }
  const fixedMemoryFields = ["SwapTotal", "SwapFree", "HugePages_Total", "HugePages_Free", "Hugepagesize"];
  fixedMemoryFields.push("VmallocTotal", "CmaTotal", "CmaFree", "Mlocked", "Unevictable", "NFS_Unstable", "Bounce");
  for (const field of fixedMemoryFields) {
    constant(`node_memory_${field}_bytes`, `Memory information field ${field}_bytes.`, [], rng.int(0, 4) * 2 ** 30);
  }
  const collectors = ["arp", "bcache", "bonding", "btrfs", "conntrack", "cpu", "cpufreq", "diskstats", "dmi", "edac"];
  collectors.push("entropy", "fibrechannel", "filefd", "filesystem", "hwmon", "infiniband", "ipvs", "loadavg");
  collectors.push("mdadm", "meminfo", "netclass", "netdev", "netstat", "nfs", "nfsd", "nvme", "os", "powersupplyclass");
  collectors.push("pressure", "rapl", "schedstat", "selinux", "sockstat", "softnet", "stat", "tapestats", "textfile");
  collectors.push("thermal_zone", "time", "timex", "udp_queues", "uname", "vmstat", "xfs", "zfs");
  for (const collector of collectors) {
    const typical = 0.0001 + 0.01 * rng.next();
    constant("node_scrape_collector_success", "Whether a collector succeeded.", ["collector", collector], 1);
    gauge(
      "node_scrape_collector_duration_seconds",
      "Duration of a collector scrape.",
      ["collector", collector],
      () => typical * (0.5 + rng.next()),
    );
  }
  const netstat = [
    "Icmp_InErrors",
    "Icmp_InMsgs",
    "Icmp_OutMsgs",
    "Ip_Forwarding",
    "IpExt_InOctets",
    "IpExt_OutOctets",
  ];
  netstat.push("Tcp_ActiveOpens", "Tcp_CurrEstab", "Tcp_InErrs", "Tcp_InSegs", "Tcp_OutRsts", "Tcp_OutSegs");
  netstat.push(
    "Tcp_PassiveOpens",
    "Tcp_RetransSegs",
    "TcpExt_ListenDrops",
    "TcpExt_ListenOverflows",
    "Udp_InDatagrams",
  );
  netstat.push("Udp_InErrors", "Udp_NoPorts", "Udp_OutDatagrams", "Udp6_InDatagrams", "Udp6_OutDatagrams");
  for (const field of netstat) {
    const busyField = /Octets|Segs|Datagrams|Msgs/.test(field);
    rareCounter(`node_netstat_${field}`, [], busyField ? 0.9 : 0.05, busyField ? 5_000 : 3);
  }
  for (const field of [
    "TCP_alloc",
    "TCP_inuse",
    "TCP_mem",
    "TCP_orphan",
    "TCP_tw",
    "UDP_inuse",
    "UDP_mem",
    "sockets_used",
  ]) {
    let value = rng.int(0, 500);
    gauge(`node_sockstat_${field}`, "Sockstat field.", [], () => {
      if (rng.chance(0.3)) value = Math.max(0, value + rng.int(-3, 3));
      return value;
    });
  }
  for (const field of ["pgfault", "pgmajfault", "pgpgin", "pgpgout", "pswpin", "pswpout", "oom_kill"]) {
    rareCounter(`node_vmstat_${field}`, [], field.startsWith("pgp") || field === "pgfault" ? 0.95 : 0.001, 50_000);
  }
  const goMemstats = ["alloc_bytes", "heap_alloc_bytes", "heap_inuse_bytes", "heap_idle_bytes", "heap_objects"];
  goMemstats.push("stack_inuse_bytes", "mspan_inuse_bytes", "next_gc_bytes", "sys_bytes", "heap_sys_bytes");
  for (const field of goMemstats) {
    let value = rng.int(100_000, 10_000_000);
    gauge(`go_memstats_${field}`, "Go memory statistic.", [], () => {
      if (rng.chance(field.endsWith("sys_bytes") ? 0.05 : 0.95)) value = Math.max(0, value + rng.int(-50_000, 50_000));
      return value;
    });
  }
  let now = 0;
  gauge("node_time_seconds", "System time in seconds since epoch (1970).", [], () => {
    now += intervalSeconds + rng.next() * 1e-3;
    return 1_700_000_000 + now;
  });
  for (const field of [
    "frequency_adjustment_ratio",
    "maxerror_seconds",
    "offset_seconds",
    "sync_status",
    "tai_offset_seconds",
  ]) {
    let value = rng.int(0, 1000) / 1000;
    gauge(`node_timex_${field}`, "Timex field.", [], () => {
      if (field !== "sync_status" && field !== "tai_offset_seconds" && rng.chance(0.5))
        value = rng.int(0, 1_000_000) / 1e6;
      return value;
    });
  }
  gauge("scrape_duration_seconds", "Duration of the scrape.", [], () => 0.005 + 0.02 * rng.next());
  gauge("scrape_samples_scraped", "The number of samples the target exposed.", [], () => specs.length);
  constant("up", "1 if the target is reachable.", [], 1);
  constant("node_exporter_build_info", "Build information.", ["version", "1.5.0", "goversion", "go1.19.8"], 1);
  return specs;
}

/**
 * The data set as OpenMetrics text (`# TYPE`, `# HELP`, samples with timestamps in seconds, `# EOF`), grouped by
 * metric family as OpenMetrics requires; `promtool tsdb create-blocks-from openmetrics` reads it. Timestamps are
 * written so that Prometheus's parser (`int64(seconds * 1000)`) gets the exact millisecond back.
 */
export function datasetToOpenMetrics(series: readonly DatasetSeries[]): string {
  const families = new Map<string, DatasetSeries[]>();
  for (const s of series) {
    const list = families.get(s.family);
    if (list) list.push(s);
    else families.set(s.family, [s]);
  }
  const lines: string[] = [];
  for (const [family, members] of families) {
    const type = members[0].kind === "counter" ? "counter" : "gauge";
    lines.push(`# HELP ${family} ${members[0].help}`, `# TYPE ${family} ${type}`);
    for (const s of members) {
      const name = s.labels.find((l) => l.name === "__name__")?.value ?? family;
      const labelText = s.labels
        .filter((l) => l.name !== "__name__")
        .map((l) => `${l.name}=${JSON.stringify(l.value)}`)
        .join(",");
      const prefix = `${name}{${labelText}} `;
      for (let i = 0; i < s.timestamps.length; i++) {
        lines.push(`${prefix}${formatOpenMetricsValue(s.values[i])} ${openMetricsSeconds(s.timestamps[i])}`);
      }
    }
  }
  lines.push("# EOF", "");
  return lines.join("\n");
}

function formatOpenMetricsValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/** Seconds text whose float64 parse, times 1000 and truncated, is exactly `ms` (as Prometheus's parser does). */
export function openMetricsSeconds(ms: number): string {
  if (ms % 1000 === 0) return String(ms / 1000);
  const exact = (ms / 1000).toFixed(3);
  if (Math.trunc(Number(exact) * 1000) === ms) return exact;
  // The nearest double to x.yyy lies just below: step up to the next doubles until the truncation lands on `ms`.
  const f = new Float64Array([Number(exact)]);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < 8; i++) {
    if (f[0] >= 0) u[0] = u[0] + 1;
    else u[0] = u[0] - 1;
    if (u[0] === 0 && f[0] >= 0) u[1] = u[1] + 1;
    if (Math.trunc(f[0] * 1000) === ms) return String(f[0]);
  }
  throw new RangeError(`no OpenMetrics seconds text for ${ms} ms`);
}

/** Total sample count of a data set. */
export function datasetSampleCount(series: readonly DatasetSeries[]): number {
  return series.reduce((sum, s) => sum + s.timestamps.length, 0);
}
