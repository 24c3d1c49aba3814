/**
 * `nacs simulate --mode ac`: a whole basic-AC charging session between the simulated J3400 vehicle and
 * charger (src/sim), plug-in → charge → target SOC (or `--unplug-after`), in accelerated virtual time or at
 * wall-clock pace (`--realtime`). Shows a progress bar on a terminal (stderr), then a summary table, or
 * one JSON object with `--json`. Every option is validated with zod; bad input exits 2.
 */
import type { Command } from "commander";
import { z } from "zod";
import { AcSession, type AcSessionSummary, type SessionStatus } from "../../sim/session.js";
import { parseOptions } from "../errors.js";

const SEED_MAX = 2 ** 32 - 1;
const MAX_UNPLUG_AFTER_S = 7 * 24 * 3600;

/** Options of `nacs simulate` (raw commander strings are coerced and range-checked). */
export const simulateOptionsSchema = z
  .object({
    mode: z.enum(["ac"], { error: 'must be "ac" (DC charging lands with issue 6)' }).default("ac"),
    batteryKwh: z.coerce.number().min(10).max(300).default(75),
    soc: z.coerce.number().min(0).max(100).default(20),
    targetSoc: z.coerce.number().min(0).max(100).default(80),
    maxCurrent: z.coerce.number().min(6).max(80).default(32),
    supplyVoltage: z.coerce.number().min(50).max(500).default(240),
    seed: z.coerce.number().int().min(0).max(SEED_MAX).default(1),
    unplugAfter: z.coerce.number().positive().max(MAX_UNPLUG_AFTER_S).optional(),
    realtime: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    if (o.targetSoc <= o.soc) {
      ctx.addIssue({
        code: "custom",
        path: ["targetSoc"],
        message: `must be greater than --soc (${o.soc}) and at most 100 (target ${o.targetSoc})`,
      });
    }
  });

/** Validated options of `nacs simulate`. */
export type SimulateOptions = z.infer<typeof simulateOptionsSchema>;

/** Validate raw options (throws UsageError naming the option, the value and the rule). */
export function parseSimulateOptions(raw: Record<string, unknown>): SimulateOptions {
  return parseOptions(simulateOptionsSchema, raw);
}

/** Build the session described by the options. */
export function sessionFor(o: SimulateOptions): AcSession {
  return new AcSession({
    batteryKwh: o.batteryKwh,
    socStart: o.soc,
    targetSoc: o.targetSoc,
    maxCurrentA: o.maxCurrent,
    supplyVoltageV: o.supplyVoltage,
    seed: o.seed,
    ...(o.unplugAfter !== undefined ? { unplugAfterS: o.unplugAfter } : {}),
  });
}

/** Format seconds as "1 h 02 min 03 s". */
export function formatDuration(s: number): string {
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min ${String(sec).padStart(2, "0")} s`;
  if (m > 0) return `${m} min ${String(sec).padStart(2, "0")} s`;
  return `${sec} s`;
}

/** Format seconds as a clock reading "H:MM:SS.ss" (timeline). */
export function formatClock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(2).padStart(5, "0");
  return `${h}:${String(m).padStart(2, "0")}:${sec}`;
}

/** One progress line: bar over the SOC range, SOC, power, phase, virtual time. */
export function progressLine(st: SessionStatus, socStart: number, target: number, width = 30): string {
  const frac = Math.min(1, Math.max(0, (st.soc - socStart) / (target - socStart)));
  const filled = Math.round(frac * width);
  const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
  return `${bar} SOC ${st.soc.toFixed(1)} %  ${(st.powerW / 1000).toFixed(2)} kW  ${st.phase.padEnd(10)} t=${formatDuration(st.tMs / 1000)}`;
}

/** The human summary: a small table, then the first timeline entries. */
export function formatSummary(r: AcSessionSummary, o: SimulateOptions): string {
  const kwh = (wh: number) => `${(wh / 1000).toFixed(2)} kWh`;
  const avgW = r.durationS > 0 ? (r.energyDeliveredWh * 3600) / r.durationS : 0;
  const rows: [string, string][] = [
    ["stop reason", r.stopReason],
    ["duration", `${formatDuration(r.durationS)} (virtual)`],
    ["SOC", `${r.socStart.toFixed(1)} % → ${r.socEnd.toFixed(1)} % of ${r.batteryKwh} kWh`],
    ["energy delivered", `${kwh(r.energyDeliveredWh)} (grid, EVSE meter)`],
    ["OBC losses", kwh(r.lossesWh)],
    ["energy to battery", kwh(r.energyDeliveredWh - r.lossesWh)],
    ["average power", `${(avgW / 1000).toFixed(2)} kW`],
    ["peak power", `${(r.peakPowerW / 1000).toFixed(2)} kW`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const head = `AC session: ${o.maxCurrent} A offer, ${o.supplyVoltage} V, seed ${o.seed}\n`;
  const table = rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n");
  const shown = r.events.slice(0, 12);
  const ev = shown
    .map(
      (e) =>
        `  ${formatClock(e.tS).padStart(11)}  ${e.cp}  ${`${e.duty} %`.padStart(8)}  ${e.contactor ? "closed" : "open  "}  ${e.currentA} A`,
    )
    .join("\n");
  const more = r.events.length > shown.length ? `\n  … ${r.events.length - shown.length} more (--json)` : "";
  return `${head}${table}\n\ntimeline (time, CP, duty, contactor, current):\n${ev}${more}\n`;
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Run the session: accelerated in chunks (progress between them) or paced by the wall clock. */
async function runSession(session: AcSession, o: SimulateOptions, progress: ((s: string) => void) | null) {
  let lastDraw = 0;
  const draw = (force = false) => {
    if (!progress) return;
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    progress(`\r${progressLine(session.status(), o.soc, o.targetSoc)}\x1b[K`);
  };
  if (o.realtime) {
    const t0 = Date.now();
    while (!session.done) {
      session.advance(Date.now() - t0);
      draw();
      await sleep(100);
    }
  } else {
    const chunkMs = 600_000;
    for (let t = chunkMs; !session.done; t += chunkMs) {
      session.advance(t);
      draw();
    }
  }
  draw(true);
  if (progress) progress("\n");
}

/** Register `nacs simulate`. */
export function registerSimulateCommand(program: Command): void {
  program
    .command("simulate")
    .description("run a simulated J3400 charging session (basic AC) in virtual time")
    .option("--mode <mode>", "charging mode: ac (dc lands with issue 6)")
    .option("--battery-kwh <kwh>", "battery capacity, 10–300 kWh (default 75)")
    .option("--soc <percent>", "start state of charge, 0–100 % (default 20)")
    .option("--target-soc <percent>", "target state of charge, > --soc, ≤ 100 % (default 80)")
    .option("--max-current <amps>", "current the EVSE offers on the pilot, 6–80 A (default 32)")
    .option("--supply-voltage <volts>", "AC supply voltage, 50–500 V (default 240; the EV accepts 104–293 V)")
    .option("--seed <n>", "seed for component tolerances and noise, integer 0–4294967295 (default 1)")
    .option("--unplug-after <seconds>", "press the handle button and unplug after this many virtual seconds")
    .option("--realtime", "pace the simulation by the wall clock")
    .option("--json", "print one JSON object instead of the summary")
    .action(async (raw: Record<string, unknown>) => {
      const o = parseSimulateOptions(raw);
      const session = sessionFor(o);
      const progress = process.stderr.isTTY ? (s: string) => process.stderr.write(s) : null;
      await runSession(session, o, progress);
      const r = session.summary();
      process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatSummary(r, o));
    });
}
