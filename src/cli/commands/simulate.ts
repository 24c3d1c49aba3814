/**
 * `nacs simulate`: a whole charging session between the simulated J3400 vehicle and charger (src/sim).
 * Default: a DC session (SLAC, SDP, DIN 70121 / ISO 15118-2, cable check, pre-charge, charge loop, welding
 * detection) that writes its NDJSON record and an HTML/SVG plot (default in ./nacs-out/). `--mode ac`: the
 * basic-AC session (unchanged flags and JSON). Accelerated virtual time or wall-clock pace (`--realtime`).
 * Progress bar on a terminal (stderr), then a summary table, or one JSON object with `--json`. Every option
 * is validated with zod; bad input exits 2.
 */

import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { startTcpCarrier } from "../../link/tcp-carrier.js";
import {
  DC_SIM_EV_MAC,
  DC_SIM_EVSE_MAC,
  DcSession,
  type DcSessionSummary,
  FAULT_NAMES,
  FAULTS,
  formatDcSummary,
  formatFaultList,
  isBptServiceName,
  SIM_BPT_DEFAULT_MIN_SOC,
} from "../../sim/dc/index.js";
import { formatDuration } from "../../sim/format-time.js";
import { ndjsonLine, plotHtml, type RecordEvent } from "../../sim/record/index.js";
import { AcSession, type AcSessionSummary } from "../../sim/session.js";
import { applyConfigFile } from "../config-file.js";
import { addUiOptions } from "../dashboard/options.js";
import { runPaced } from "../dashboard/paced.js";
import { fillOfflineReport } from "../dashboard/report.js";
import { startSimulateUi } from "../dashboard/simulate-ui.js";
import { defaultAppDir } from "../dashboard/static.js";
import { ensureDir } from "../ensure-dir.js";
import { UsageError } from "../errors.js";
import { createPcapRecorder, type PcapRecorder } from "../record-pcap.js";
import { addOcppOptions } from "./ocpp-options.js";
import { formatFleetReport, runFleet } from "./simulate-fleet.js";
import { SIM_BPT_DEFAULT_START_SOC } from "./simulate-iso20.js";
import { ocppEvseConfig, SIM_OCPP_ID_TOKEN, type SimOcppReport, startSimOcpp } from "./simulate-ocpp.js";
import { MAX_S2_DELAY_S, parseSimulateOptions, type SimulateOptions } from "./simulate-options.js";
import { dcSessionFor, simulatePnc } from "./simulate-session.js";

export {
  contractPayment,
  parseSimulateOptions,
  type SimulateOptions,
  simulateOptionsSchema,
} from "./simulate-options.js";

/** Build the AC session described by the options. */
export function sessionFor(o: SimulateOptions): AcSession {
  return new AcSession({
    batteryKwh: o.batteryKwh,
    socStart: o.soc,
    targetSoc: o.targetSoc,
    maxCurrentA: o.maxCurrent,
    supplyVoltageV: o.supplyVoltage,
    seed: o.seed,
    ...(o.unplugAfter !== undefined ? { unplugAfterS: o.unplugAfter } : {}),
    ...(o.s2Delay !== undefined && { s2CloseDelayMs: o.s2Delay * 1000 }),
  });
}

export { formatDuration };

/** Format seconds as a clock reading "H:MM:SS.ss" (timeline). */
export function formatClock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(2).padStart(5, "0");
  return `${h}:${String(m).padStart(2, "0")}:${sec}`;
}

/** One progress line: bar over the SOC range, SOC, power, phase, virtual time. */
export function progressLine(
  st: { tMs: number; soc: number; powerW: number; phase: string },
  socStart: number,
  target: number,
  width = 30,
): string {
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

/**
 * Run the session: accelerated in chunks (progress between them), paced by the wall clock, or by `pace`
 * (`--ui`: the dashboard's pacing, the progress line drawn after each of its steps).
 */
async function runSession(
  session: AcSession | DcSession,
  o: SimulateOptions,
  progress: ((s: string) => void) | null,
  pace?: (onTick: () => void) => Promise<void>,
) {
  let lastDraw = 0;
  const draw = (force = false) => {
    if (!progress) return;
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    // a BPT discharge runs the bar from --soc down to --min-soc
    const end = isBptServiceName(o.service) ? (o.minSoc ?? SIM_BPT_DEFAULT_MIN_SOC) : o.targetSoc;
    progress(`\r${progressLine(session.status(), o.soc, end)}\x1b[K`);
  };
  if (pace) await pace(() => draw());
  else if (o.realtime) {
    const t0 = Date.now();
    while (!session.done) {
      session.advance((Date.now() - t0) * (o.speed ?? 1));
      draw();
      await sleep(100);
    }
  } else {
    const chunkMs = session instanceof DcSession ? 5_000 : 600_000;
    for (let t = chunkMs; !session.done; t += chunkMs) {
      session.advance(t);
      draw();
    }
  }
  draw(true);
  if (progress) progress("\n");
}

/** Where the record and plot go: `--record FILE` or `<out-dir>/nacs-session-<timestamp>.ndjson`; plot beside it. */
export function outputPaths(o: SimulateOptions, now = new Date()): { record: string; plot: string } | null {
  if (o.record === false) return null;
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  const record = resolve(
    typeof o.record === "string" ? o.record : join(o.outDir, `nacs-session-${stamp}.ndjson`),
  );
  return { record, plot: record.replace(/\.ndjson$|$/, ".html").replace(/\.html\.html$/, ".html") };
}

async function runDc(o: SimulateOptions): Promise<void> {
  const paths = outputPaths(o);
  let fd: number | null = null;
  let pcapFd: number | null = null;
  let pcap: PcapRecorder | null = null;
  if (o.pcap !== undefined) {
    const file = resolve(o.pcap);
    ensureDir(dirname(file), "--pcap");
    try {
      pcapFd = openSync(file, "w");
    } catch (err) {
      throw new UsageError(
        `option --pcap: cannot write ${JSON.stringify(o.pcap)}: ${(err as Error).message}`,
        "--pcap",
      );
    }
    const out = pcapFd;
    pcap = createPcapRecorder((b) => writeSync(out, b), {
      evMac: DC_SIM_EV_MAC,
      evseMac: DC_SIM_EVSE_MAC,
      epochMs: Date.now(),
    });
  }
  const kept: RecordEvent[] = [];
  const template = paths ? reportTemplate() : undefined;
  if (paths) {
    ensureDir(dirname(paths.record), typeof o.record === "string" ? "--record" : "--out-dir");
    fd = openSync(paths.record, "w");
  }
  const ui = await startSimulateUi(o);
  const onRecord = (e: RecordEvent) => {
    if (fd !== null) writeSync(fd, ndjsonLine(e));
    ui?.record(e);
    // the whole record when the plot is the dashboard's one-file report (it lists the messages too)
    if (paths && (template !== undefined || (e.type !== "msg" && e.type !== "log"))) kept.push(e);
  };
  let r: DcSessionSummary & { ocpp?: SimOcppReport };
  const carrier = o.transport === "tcp" ? await startTcpCarrier() : null;
  try {
    const pnc = await simulatePnc(o);
    const session = dcSessionFor(
      o,
      onRecord,
      {
        ...(pnc && { pnc }),
        ...(pcap ? { onWire: pcap.tap } : {}),
        ...(carrier ? { v2gCarrier: carrier } : {}),
        ...(o.ocpp !== undefined && { evseConfig: ocppEvseConfig() }),
      },
      ui !== null && !carrier,
    );
    const progress = process.stderr.isTTY && !o.json ? (s: string) => process.stderr.write(s) : null;
    // --ocpp: a CSMS answers in wall time, so the session is paced (as with --ui)
    const ocpp = o.ocpp !== undefined ? await startSimOcpp({ ...o, ocpp: o.ocpp }, session) : null;
    const both = (tick: () => void) => () => {
      tick();
      ocpp?.tick();
    };
    const pace = ui
      ? (tick: () => void) => ui.run(session, both(tick))
      : ocpp
        ? (tick: () => void) =>
            runPaced(session, {
              speed: o.speed ?? 1,
              onTick: both(tick),
              // the SECC waits on the CSMS (Get15118EVCertificate): its 4.5 s and the EV's 5 s run in wall time
              realTime: () => session.sim.ctl.evse.secc.certForward !== null,
            })
        : undefined;
    if (carrier) await session.runAsync();
    else await runSession(session, o, progress, pace);
    r = session.summary();
    if (carrier) r = { ...r, v2gTransport: { kind: "tcp", ...carrier.stats } };
    if (ocpp) r = { ...r, ocpp: await ocpp.finish() };
    session.sim.record("summary", { summary: { ...r, events: r.events.length } });
  } finally {
    if (fd !== null) closeSync(fd);
    if (pcapFd !== null) closeSync(pcapFd);
    await carrier?.close();
  }
  printDcResult(o, r, { paths, pcap, kept, template });
  await ui?.linger();
}

/**
 * The dashboard's `offline.html` (one self-contained file) when the app is built: the plot file is then that
 * page with the session's record in it (plots at event resolution, messages, trips); else the SVG plot.
 */
function reportTemplate(): string | undefined {
  const file = join(defaultAppDir(), "offline.html");
  try {
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

/** The plot file, then the summary (or the `--json` object) of a DC / HLC session. */
function printDcResult(
  o: SimulateOptions,
  r: DcSessionSummary & { ocpp?: SimOcppReport },
  out: {
    paths: { record: string; plot: string } | null;
    pcap: PcapRecorder | null;
    kept: RecordEvent[];
    /** The dashboard's offline.html, when built. */
    template: string | undefined;
  },
): void {
  const { paths, pcap, kept, template } = out;
  if (paths) {
    const line = `${r.stopReason}; ${(r.energyDeliveredWh / 1000).toFixed(2)} kWh in ${formatDuration(r.durationS)}; SOC ${r.socStart} → ${r.socEnd.toFixed(1)} %; peak ${(r.peakPowerW / 1000).toFixed(1)} kW; ${r.protocol}`;
    writeFileSync(
      paths.plot,
      template !== undefined
        ? fillOfflineReport(template, kept)
        : plotHtml(
            kept.filter((e) => e.type !== "msg" && e.type !== "log"),
            "nacs simulate: J3400 DC session",
            line,
          ),
    );
  }
  if (o.json) {
    const files = paths || o.pcap ? { ...paths, ...(o.pcap && { pcap: resolve(o.pcap) }) } : null;
    process.stdout.write(`${JSON.stringify({ ...r, ...(files && { files }) })}\n`);
    return;
  }
  const what =
    o.mode === "ac"
      ? `AC session over HLC: ${o.supplyVoltage} V / ${o.maxCurrent} A supply, ${o.evClass} EV`
      : o.evProfile === "tesla"
        ? `DC session: ${o.chargerKw} kW ${o.chargerClass} charger, Tesla profile EV (400v)`
        : `DC session: ${o.chargerKw} kW ${o.chargerClass} charger, ${o.evClass} EV`;
  const protocol =
    o.evProfile === "tesla"
      ? "din"
      : o.protocol === "iso20"
        ? `iso20 ${o.service ?? "dc"} ${o.control ?? "scheduled"}`
        : o.protocol;
  const head = `${what}, ${protocol}, seed ${o.seed}${o.fault ? `, fault ${o.fault}` : ""}`;
  process.stdout.write(formatDcSummary(r, head, paths ?? {}));
  if (r.ocpp) {
    const x = r.ocpp;
    process.stdout.write(
      `  ocpp  ${x.url} (OCPP ${x.version}): transactions ${x.transactions.join(", ") || "none"}; sent ${Object.values(x.sent).reduce((a, b) => a + b, 0)}, undelivered ${x.undelivered}, schema failures ${x.schemaFailures.length}\n`,
    );
  }
  if (o.pcap) process.stdout.write(`  pcap  ${resolve(o.pcap)} (${pcap?.frames ?? 0} packets)\n`);
}

/** Register `nacs simulate`. */
export function registerSimulateCommand(program: Command): void {
  const cmd = program.command("simulate");
  addUiOptions(cmd);
  addOcppOptions(cmd, { paced: true, defaultIdToken: SIM_OCPP_ID_TOKEN });
  cmd
    .description(
      "run a simulated J3400 charging session (DC by default, --mode ac for basic AC) in virtual time",
    )
    .option("--mode <mode>", "charging mode: dc (default) or ac")
    .option(
      "--hlc",
      "AC: charge over ISO 15118-2 or -20 (SLAC, SDP, V2G) instead of basic PWM; DC options apply",
    )
    .option("--transport <kind>", "DC: V2G bytes over memory (default) or tcp (real TCP on [::1])")
    .option("--battery-kwh <kwh>", "battery capacity, 10–300 kWh (default 75)")
    .option("--soc <percent>", "start state of charge, 0–100 % (default 20)")
    .option("--target-soc <percent>", "target state of charge, > --soc, ≤ 100 % (default 80)")
    .option(
      "--min-soc <percent>",
      `with --service dc-bpt/ac-bpt: the EV gives energy back down to this SOC, < --soc (default ${SIM_BPT_DEFAULT_MIN_SOC}; --soc defaults to ${SIM_BPT_DEFAULT_START_SOC} there)`,
    )
    .option("--max-current <amps>", "AC: current the EVSE offers on the pilot, 6–80 A (default 32)")
    .option(
      "--supply-voltage <volts>",
      "AC: supply voltage, 50–500 V (default 240; the EV accepts 104–293 V)",
    )
    .option("--charger-kw <kw>", "DC: charger power, 10–1000 kW (default 250)")
    .option("--charger-class <class>", "DC: 500v (legacy) or 1000v (J3400, default)")
    .option("--ev-class <class>", "DC: vehicle pack, 400v or 800v (default)")
    .option("--protocol <name>", "DC: din, iso2 or iso20 (ISO 15118-20 DC, EIM) (default iso2)")
    .option(
      "--control <mode>",
      "with --protocol iso20: scheduled or dynamic control mode (default scheduled)",
    )
    .option(
      "--service <name>",
      "with --protocol iso20: energy service dc (default), dc-bpt (bidirectional DC), ac or ac-bpt (AC over HLC; ac-bpt discharges, see --min-soc)",
    )
    .option("--fault <name>", "DC: inject a named fault (see --list-faults)")
    .option("--list-faults", "list the fault names and their stop reasons, then exit")
    .option(
      "--payment <option>",
      "ISO-2 DC: external (default) or contract (Plug & Charge with a PnC PKI issued for the run, or --pki DIR)",
    )
    .option("--pki <dir>", "with --payment contract: the PnC PKI of a nacs pki init DIR")
    .option(
      "--install-contract",
      "with --payment contract: the EV starts without a contract and installs one (CertificateInstallation; with --ocpp through the CSMS's CPS)",
    )
    .option(
      "--scenario <file>",
      "DC: scenario file: .yaml/.yml/.json (list of commands, or {options, commands}) or .txt (EVerest string)",
    )
    .option(
      "--scenario-string <commands>",
      'DC: EVerest car-simulator commands, e.g. "sleep 1;iso_wait_slac_matched;iso_start_v2g_session DC"',
    )
    .option("--pcap <file>", "DC: record SLAC, SDP and the V2G session as pcapng (virtual timestamps)")
    .option("--record <file>", "DC: write the NDJSON record here (plot beside it, .html)")
    .option("--no-record", "DC: write neither record nor plot")
    .option("--out-dir <dir>", "DC: directory for the default record/plot names (default ./nacs-out)")
    .option("--seed <n>", "seed for component tolerances and noise, integer 0–4294967295 (default 1)")
    .option(
      "--unplug-after <seconds>",
      "AC: press the handle button and unplug after this many virtual seconds",
    )
    .option(
      "--s2-delay <seconds>",
      `EV: close S2 no earlier than this long after plug-in (legacy "delayed S2 closure"), 0–${MAX_S2_DELAY_S} s`,
    )
    .option(
      "--ev-profile <name>",
      "DC: a real car's wire behaviour: default or tesla (DIN, Tesla SAP offer, …)",
    )
    .option(
      "--charge-loop-ms <ms>",
      "DC: the EV's pause between charge-loop requests (CurrentDemandReq, DC_ChargeLoopReq), 20–450 ms (default 200); fewer messages, coarser control (see --fleet)",
    )
    .option(
      "--time-scale <k>",
      "DC: the battery's energy moves K× faster (1–100, default 1; a fleet's default 100): the charge takes 1/K of the virtual time and K× fewer charge-loop messages; SLAC, handshake, cable check, ramps and timeouts keep real time (see --fleet)",
    )
    .option(
      "--measure-ms <ms>",
      "DC: while the power path ramps or slews, measure every M ms (1–100, default 10; a fleet's default 50); trips and wind-downs keep 1 ms (see --fleet)",
    )
    .option("--realtime", "pace the simulation by the wall clock (× --speed)")
    .option("--speed <n>", "with --ui, --ocpp or --realtime: virtual time runs N× the wall clock (default 1)")
    .option(
      "--ui-linger <seconds>",
      "with --ui: after the session, keep serving this long and exit (default: until Ctrl-C)",
    )
    .option("--json", "print one JSON object instead of the summary")
    .option(
      "--fleet <n>",
      "run N independent DC sessions (own seeds, EVs, SOCs, plug-in times from the mix) and print one aggregate report",
    )
    .option("--workers <n>", "with --fleet: worker threads (default: the number of cores)")
    .option(
      "--fleet-mix <file>",
      "with --fleet: YAML/JSON mix of EV profiles, protocols, pack classes, SOC and pack ranges, charger power, faults",
    )
    .option(
      "--fleet-window <seconds>",
      "with --fleet: plug-ins spread over this much virtual time (default 3600)",
    )
    .option("--fleet-bin <seconds>", "with --fleet: park load curve bin, a multiple of 5 s (default 60)")
    .option(
      "--config <file>",
      "JSON or YAML file of these options (keys: option names); flags given here win",
    )
    .action(async (raw: Record<string, unknown>, cmd: Command) => {
      const given = applyConfigFile(raw, cmd);
      const o = parseSimulateOptions(given);
      if (o.fleet !== undefined) {
        const report = await runFleet(o, {
          raw: given,
          progress: process.stderr.isTTY && !o.json ? (s) => process.stderr.write(s) : null,
          ...(given.outDir !== undefined && o.record !== false && { outDir: o.outDir }),
        });
        process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : formatFleetReport(report));
        return;
      }
      if (o.listFaults) {
        process.stdout.write(
          o.json ? `${JSON.stringify(FAULT_NAMES.map((n) => FAULTS[n]))}\n` : formatFaultList(),
        );
        return;
      }
      if (o.mode === "dc" || o.hlc) {
        await runDc(o);
        return;
      }
      const session = sessionFor(o);
      const progress = process.stderr.isTTY ? (s: string) => process.stderr.write(s) : null;
      await runSession(session, o, progress);
      const r = session.summary();
      process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatSummary(r, o));
    });
}
