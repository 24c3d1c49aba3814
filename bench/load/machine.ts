/**
 * Machine-wide CPU figures for the load bench report: the machine is shared (other processes run beside
 * the bench), so the report says how busy all cores were during the window and what the load average was.
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

/** Jiffies of all CPUs: busy and total, from /proc/stat (Linux); null elsewhere. */
export function cpuJiffies(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Per cent of all cores busy between two {@link cpuJiffies} readings (whole machine), or null. */
export function machineBusyPercent(
  a: ReturnType<typeof cpuJiffies>,
  b: ReturnType<typeof cpuJiffies>,
): number | null {
  if (!a || !b || b.total <= a.total) return null;
  return Math.round((1000 * (b.busy - a.busy)) / (b.total - a.total)) / 10;
}

/** Total µs that some task waited for a CPU (Linux PSI, /proc/pressure/cpu "some"), or null. */
export function cpuPressureUs(): number | null {
  try {
    const m = /some .*total=(\d+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Per cent of the wall time `ms` during which some runnable task waited for a CPU (PSI "some") between two
 * {@link cpuPressureUs} readings: how oversubscribed the machine was; null when PSI is not available.
 */
export function cpuPressurePercent(a: number | null, b: number | null, ms: number): number | null {
  if (a === null || b === null || ms <= 0) return null;
  return Math.round((1000 * (b - a)) / 1000 / ms) / 10;
}

/** Cores and the 1-minute load average. */
export function machineInfo(): { cores: number; loadAvg1: number } {
  return { cores: cpus().length, loadAvg1: Math.round((loadavg()[0] ?? 0) * 100) / 100 };
}
