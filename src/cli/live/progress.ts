/**
 * The progress line of `nacs evse` / `nacs ev` during a live session: one line on stderr, rewritten in
 * place (`\r`, then erase to the end of the line) at most once per {@link PROGRESS_INTERVAL_MS} — phase,
 * present voltage and current, energy, SOC when known, elapsed time. Only on a terminal: never when stderr
 * is not a TTY (a log file, a pipe, a test), nor when stdout carries `--json` / `--events -` lines to the
 * same terminal (they would be torn by the line being redrawn).
 */
import type { LiveProgress } from "../../link/host/live-session.js";

/** How often the line is redrawn (ms): at most about once a second. */
export const PROGRESS_INTERVAL_MS = 1000;

/** "0:07", "12:34", "1:02:03". */
export function formatElapsed(ms: number): string {
  const t = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = String(t % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * The text of the line (no control characters), e.g.
 * `EVSE charging | 398.2 V | 125.0 A | 12.345 kWh | SOC 63.0 % | 3:25`; cut to `columns - 1` characters
 * when the terminal width is known, so it never wraps (a wrapped line cannot be rewritten with `\r`).
 */
export function formatProgress(p: LiveProgress, columns?: number): string {
  const parts = [
    `${p.side === "secc" ? "EVSE" : "EV"} ${p.phase}`,
    `${p.voltageV.toFixed(1)} V`,
    `${p.currentA.toFixed(1)} A`,
    `${(p.energyWh / 1000).toFixed(3)} kWh`,
    ...(p.socPercent === null ? [] : [`SOC ${p.socPercent.toFixed(1)} %`]),
    formatElapsed(p.elapsedMs),
  ];
  const line = parts.join(" | ");
  return columns !== undefined && columns > 1 && line.length > columns - 1
    ? line.slice(0, columns - 1)
    : line;
}

/** The part of a stream the progress line needs (process.stderr / process.stdout, or a test double). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

/**
 * Whether to show the line: stderr is a terminal, and stdout is not one carrying machine-readable lines
 * (`stdoutLines`: `--json` or `--events -`) — those would be interleaved with the redraws.
 */
export function progressEnabled(o: {
  stderr: ProgressStream;
  stdout: ProgressStream;
  stdoutLines: boolean;
}): boolean {
  return o.stderr.isTTY === true && !(o.stdoutLines && o.stdout.isTTY === true);
}

/** Interval timers (injected in tests). */
export interface ProgressTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(t: unknown): void;
}

const nodeTimers: ProgressTimers = {
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref(); // never what keeps the process alive
    return t;
  },
  clearInterval: (t) => clearInterval(t as ReturnType<typeof setInterval>),
};

/** A running progress line. */
export interface ProgressLine {
  /** Erase the line (before other output goes to the terminal); the next tick draws it again. */
  clear(): void;
  /** Stop redrawing and erase the line. */
  stop(): void;
}

const ERASE = "\r\x1b[K";

/**
 * Start the progress line on `stderr` when {@link progressEnabled}; otherwise a line that does nothing.
 * `sample()` null (no session in progress): nothing shown.
 */
export function startProgressLine(o: {
  stderr: ProgressStream;
  stdout: ProgressStream;
  stdoutLines: boolean;
  sample(): LiveProgress | null;
  intervalMs?: number;
  timers?: ProgressTimers;
}): ProgressLine {
  if (!progressEnabled(o)) return { clear() {}, stop() {} };
  const timers = o.timers ?? nodeTimers;
  let drawn = false;
  const clear = () => {
    if (!drawn) return;
    drawn = false;
    o.stderr.write(ERASE);
  };
  const tick = () => {
    let p: LiveProgress | null;
    try {
      p = o.sample();
    } catch {
      p = null; // the line is a convenience: it never takes the host down
    }
    if (!p) return clear();
    o.stderr.write(`${ERASE}${formatProgress(p, o.stderr.columns)}`);
    drawn = true;
  };
  const timer = timers.setInterval(tick, o.intervalMs ?? PROGRESS_INTERVAL_MS);
  return {
    clear,
    stop() {
      timers.clearInterval(timer);
      clear();
    },
  };
}
