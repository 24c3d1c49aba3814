/**
 * One simulated J3400 DC session, as `nacs simulate` (default mode) runs it: plug in at t = 0, SLAC, SDP,
 * V2G (DIN 70121 or ISO 15118-2), cable check, pre-charge, charge to the target SOC (or a fault), stop,
 * welding detection, unlock. Pure and platform-neutral; the CLI adds the terminal, files and pacing.
 */
import type { EvDcConfig, EvVoltageClass } from "../../ev/dc/index.js";
import type { EvProfileName } from "../../ev/profiles.js";
import type { EvseDcConfig, ModuleVariant } from "../../evse/dc/index.js";
import { roundMs, timeStats } from "../../link/host/stats.js";
import type { V2gCarrier } from "../../link/tcp-carrier.js";
import type { Iso20ControlMode, Iso20ServiceName } from "../../v2g/index.js";
import type { RecordEvent, RecordSink } from "../record/types.js";
import type { TimelineEntry } from "../session.js";
import { timelineOf } from "../session.js";
import type { TraceEntry } from "../trace.js";
import type { BmsReportRule } from "./bms-report.js";
import { createDcSim, withServiceEnergy } from "./build.js";
import { SIM_DC_NET_LATENCY_MS, SIM_DC_TRACE_CURRENT_STEP_A } from "./constants.js";
import type { DcSim, TripReport } from "./dc-sim.js";
import { type DcSimPhase, FAULTS, type FaultName } from "./faults.js";
import { type DcPlugInSummary, pickStopReason, plugInSummaries } from "./plug-ins.js";
import type { DcSimPnc } from "./pnc-material.js";
import type { WireTap } from "./wire.js";

export type { DcSimPnc, DcSimPncProvisioning } from "./pnc-material.js";

/**
 * Drives a session from a script (src/sim/scenario): attached once, then `tick` after every simulator event
 * runs commands until one blocks. With a driver the connector is not plugged in at t = 0 — the script does it.
 */
export interface SessionDriver {
  attach(session: DcSession): void;
  tick(): void;
  /** All commands ran. */
  readonly done: boolean;
  /** Blocked on a condition (not a sleep): the session may end if nothing can satisfy it. */
  readonly waiting: boolean;
  /** The command running now (a wait or a sleep), by its 1-based position and text. */
  readonly blockedAt?: { pos: number; text: string } | null;
  /** Start SDP / V2G after SLAC without a command (false when the script has `iso_start_v2g_session`). */
  readonly autoStartV2g: boolean;
  /** How long a blocked wait may last once the session is over (virtual ms); default {@link DC_SCRIPT_STALL_MS}. */
  readonly stallMs?: number;
}

/** With a script blocked on a wait after the session is over, end after this long (virtual ms). */
export const DC_SCRIPT_STALL_MS = 60_000;

/** Default virtual-time limit of a DC session (s): 4 hours. */
export const DC_SESSION_MAX_DURATION_S = 4 * 3600;
/**
 * Default virtual-time limit of an AC session over high-level communication (s): 12 hours — an AC charge or
 * an AC_BPT discharge of tens of kWh at 7–11 kW takes hours (design choice).
 */
export const AC_HLC_SESSION_MAX_DURATION_S = 12 * 3600;
/** After both sides ended, wait at most this long for the inlet to discharge and unlock (ms). */
export const DC_SESSION_SETTLE_MS = 5_000;

/** A scripted step: at a time or `delayMs` after a phase, inject a fault or stop. */
export type DcScriptStep =
  | { atS: number; action: DcScriptAction }
  | { phase: DcSimPhase; delayS: number; action: DcScriptAction };

/** Scripted actions. */
export type DcScriptAction =
  | { kind: "fault"; name: FaultName }
  | { kind: "ev-stop" }
  | { kind: "evse-stop" }
  | { kind: "unplug" };

/** Options of a DC session. */
export interface DcSessionOptions {
  batteryKwh: number;
  socStart: number;
  targetSoc: number;
  chargerKw: number;
  protocol: "din" | "iso2" | "iso20";
  /** ISO 15118-20: the control mode the EV selects (default scheduled). */
  control?: Iso20ControlMode;
  /**
   * ISO 15118-20: the energy service (default dc). The BPT ones make both sides bidirectional: the EVSE offers
   * DC_BPT / AC_BPT and the EV selects it.
   */
  service?: Iso20ServiceName;
  /** Bidirectional EV: it gives energy back down to this SOC (%; default the EV controller's, 30). */
  minSoc?: number;
  /** Bidirectional EV: give energy back from the start (default: true with a *-bpt service). */
  discharge?: boolean;
  chargerVariant?: ModuleVariant;
  evClass?: EvVoltageClass;
  seed: number | null;
  /** A named fault injected by its default trigger (faults.ts). */
  fault?: FaultName;
  script?: DcScriptStep[];
  /** Legacy "delayed S2 closure" (ms). */
  s2CloseDelayMs?: number;
  maxDurationS?: number;
  onRecord?: RecordSink;
  /** Script driver (EVerest-style commands); replaces the plug-in at t = 0. */
  driver?: SessionDriver;
  /** Receives every frame / datagram / V2GTP message as sent (pcap recording). */
  onWire?: WireTap;
  /** Host clock for the SECC processing-time measurement (default performance.now). */
  hostClock?: () => number;
  /** Real V2G byte transport (`--transport tcp`); run with {@link DcSession.runAsync}. */
  v2gCarrier?: V2gCarrier;
  /** Energy moves this many times faster than the current alone would move it (`--time-scale`; default 1). */
  energyTimeScale?: number;
  /** Measuring period while the power path ramps or slews (ms; `--measure-ms`; default 10). */
  slowMeasureMs?: number;
  /** When the EV side gets a `bms` reading (default: with every measurement). */
  bmsReport?: BmsReportRule;
  /**
   * The power path: "dc" (default, the power module) or "ac" (ISO 15118-2 AC over high-level
   * communication: the charger's pins on the mains relay, the EV's on-board charger).
   */
  energy?: "dc" | "ac";
  /** The EV asks for this path instead of `energy` (interlock tests: an EV the charger cannot serve). */
  evEnergy?: "dc" | "ac";
  /** AC: current the EVSE offers (EVSEMaxCurrent, A); default 48. */
  acMaxCurrentA?: number;
  /** AC: supply voltage behind the relay (V RMS); default 240. */
  acSupplyV?: number;
  /** Configuration of the EVSE controller over the one built from these options (its `secc` merged). */
  evseConfig?: Partial<EvseDcConfig>;
  /** Configuration of the EV controller over the one built from these options (its `evcc` merged). */
  evConfig?: Partial<EvDcConfig>;
  /** A real car's wire behaviour over the EV (`--ev-profile`); default none. */
  evProfile?: EvProfileName;
  /** ISO-2 Plug & Charge (`--payment contract`): the PKI as bytes; the EV pays with the contract. */
  pnc?: DcSimPnc;
  /**
   * False (a fleet): nothing is recorded unless `onRecord` is given, and the summary's `events` timeline is
   * empty; the simulation runs the same events, so every other figure is the same. Default true.
   */
  timeline?: boolean;
}

/** Summary (the `--json` object): the AC fields plus protocol, messages, responseTimesMs, safety. */
export interface DcSessionSummary {
  /** "dc", or "ac" for ISO 15118-2 AC over high-level communication (`protocol` says which). */
  mode: "dc" | "ac";
  batteryKwh: number;
  /** Net energy through the EVSE meter, DC output (Wh): negative when the EV gave more back than it took. */
  energyDeliveredWh: number;
  /** Energy the EV gave back through the EVSE meter into the grid (Wh, ≥ 0; ISO 15118-20 BPT). */
  energyDischargedWh: number;
  /** EVSE-to-battery losses: cable and battery internal resistance (Wh). */
  lossesWh: number;
  durationS: number;
  socStart: number;
  socEnd: number;
  peakPowerW: number;
  /** Highest power fed back into the grid (W, ≥ 0; ISO 15118-20 BPT). */
  peakDischargePowerW: number;
  stopReason: string;
  events: TimelineEntry[];
  protocol: string;
  messages: Record<string, number>;
  /**
   * SECC processing time per request, measured on the host's wall clock around decode → step → encode
   * (same {median, p99} shape as `nacs evse --json`). The simulated network latency
   * ({@link SIM_DC_NET_LATENCY_MS} each way, constant) is modelled separately and not included.
   */
  responseTimesMs: ResponseTimesMs;
  safety: TripReport[];
  /** Highest output current and voltage at the EVSE (A, V) — never above the EVSE limits. */
  /** Highest output current and voltage; `dischargeCurrentA`: highest current fed back (A, ISO 15118-20 BPT). */
  outputPeak: { currentA: number; voltageV: number; dischargeCurrentA: number };
  /** EVSE…LimitAchieved flags reported in CurrentDemandRes (true if ever set). */
  limitsAchieved: { current: boolean; voltage: boolean; power: boolean };
  /** `--transport tcp`: the real TCP connections and bytes that carried the V2G session. */
  v2gTransport?: { kind: "tcp"; connections: number; bytes: number };
  /**
   * One entry per plug-in (a script that unplugs and plugs in again runs several sessions): its own
   * energy, SOC, stop reason, phases, messages and trips. The fields above cover the whole run.
   */
  sessions: DcPlugInSummary[];
  /** With a scenario script: whether all its commands ran, else the one it ended on. */
  script?: { done: boolean; blockedAt: { pos: number; text: string } | null };
}

/** Median / p99 / max of one message pair's SECC processing times (wall ms). */
export interface ProcessingStats {
  n: number;
  median: number;
  p99: number;
  max: number;
}

/** `responseTimesMs` of the summary: over all requests, and per message pair. */
export interface ResponseTimesMs {
  median: number;
  p99: number;
  perMessage: Record<string, ProcessingStats>;
}

/** Progress snapshot. */
export interface DcSessionStatus {
  tMs: number;
  soc: number;
  powerW: number;
  phase: string;
}

export {
  createDcSim,
  DC_SIM_EV_MAC,
  DC_SIM_EVSE_MAC,
  DC_SIM_SECC_PORT,
  isBptServiceName,
  linkLocalOf,
  SIM_BPT_DEFAULT_MIN_SOC,
} from "./build.js";

/** How long the simulator waits in wall time for in-flight V2G bytes on a real carrier (ms). Design choice. */
export const DC_CARRIER_WAIT_MS = 5_000;

/** A DC session that can be advanced piecewise (progress display, wall-clock pacing). */
export class DcSession {
  readonly sim: DcSim;
  readonly opts: DcSessionOptions;
  private finished = false;
  private endSeenMs: number | null = null;
  private overSinceMs: number | null = null;
  private lastI = 0;
  private readonly maxMs: number;
  private readonly trace: TraceEntry[] = [];

  constructor(opts0: DcSessionOptions) {
    const opts = withServiceEnergy(opts0);
    this.opts = opts;
    const limitS = opts.energy === "ac" ? AC_HLC_SESSION_MAX_DURATION_S : DC_SESSION_MAX_DURATION_S;
    this.maxMs = (opts.maxDurationS ?? limitS) * 1000;
    const user = opts.onRecord;
    const trace = this.trace;
    this.sim = createDcSim({
      ...opts,
      ...((opts.timeline !== false || user) && {
        onRecord: (e: RecordEvent) => {
          if (e.type === "cp") trace.push({ tMs: e.t * 1000, kind: "cp", value: String(e.state) });
          else if (e.type === "duty") trace.push({ tMs: e.t * 1000, kind: "duty", value: Number(e.duty) });
          else if (e.type === "contactor" && e.side === "evse")
            trace.push({ tMs: e.t * 1000, kind: "contactor", value: Boolean(e.closed) });
          user?.(e);
        },
      }),
    });
    const sim = this.sim;
    sim.record("start", {
      config: {
        mode: opts.energy ?? "dc",
        batteryKwh: opts.batteryKwh,
        socStart: opts.socStart,
        targetSoc: opts.targetSoc,
        chargerKw: opts.chargerKw,
        chargerVariant: opts.chargerVariant ?? "1000v",
        evClass: opts.evClass ?? "800v",
        protocol: opts.protocol,
        seed: opts.seed,
        fault: opts.fault ?? null,
      },
    });
    if (opts.driver) opts.driver.attach(this);
    else sim.at(0, "plug in", (s) => s.plugIn());
    if (opts.fault) {
      const spec = FAULTS[opts.fault];
      const name = opts.fault;
      // a scaled charge (--time-scale K): the fault comes after the same charge, 1/K of its virtual time
      const k = spec.phase === "charging" ? (opts.energyTimeScale ?? 1) : 1;
      sim.atPhase(spec.phase, spec.delayMs / k, `inject ${name}`, (s) => {
        s.inject(name);
        if (spec.evStopAfterMs !== undefined)
          s.at(s.nowMs + spec.evStopAfterMs, "driver stops", (x) => act(x, { kind: "ev-stop" }));
      });
    }
    for (const st of opts.script ?? []) {
      const run = (s: DcSim) => act(s, st.action);
      const label = `script: ${st.action.kind}${st.action.kind === "fault" ? ` ${st.action.name}` : ""}`;
      if ("atS" in st) sim.at(st.atS * 1000, label, run);
      else sim.atPhase(st.phase, st.delayS * 1000, label, run);
    }
  }

  get done(): boolean {
    return this.finished;
  }

  /** Process events up to `untilMs` (or until the session ends). */
  advance(untilMs: number): void {
    const sim = this.sim;
    while (!this.finished) {
      const t = sim.nextEventMs();
      if (t === undefined || t > untilMs) break;
      if (t > this.maxMs) {
        sim.runUntil(this.maxMs);
        this.finish();
        break;
      }
      sim.step();
      sim.notePlugIn();
      this.opts.driver?.tick();
      const i = sim.currentA;
      if (
        this.opts.timeline !== false &&
        ((i === 0) !== (this.lastI === 0) || Math.abs(i - this.lastI) >= SIM_DC_TRACE_CURRENT_STEP_A)
      ) {
        this.trace.push({ tMs: sim.nowMs, kind: "current", value: Math.round(i * 10) / 10 });
        this.lastI = i;
      }
      this.checkEnd();
    }
    if (!this.finished && untilMs > sim.nowMs && Number.isFinite(untilMs))
      sim.runUntil(Math.min(untilMs, this.maxMs));
  }

  /** Run to the end; return the summary. */
  run(): DcSessionSummary {
    this.advance(Number.POSITIVE_INFINITY);
    return this.summary();
  }

  /**
   * Run to the end over a real V2G carrier: before each event, wait (in wall time, at most
   * {@link DC_CARRIER_WAIT_MS} at a time) until no connect or bytes are in flight, so virtual time never
   * passes data still on the wire.
   */
  async runAsync(): Promise<DcSessionSummary> {
    const carrier = this.opts.v2gCarrier;
    const turn = () => new Promise<void>((r) => setImmediate(r));
    while (!this.finished) {
      if (carrier) {
        const until = Date.now() + DC_CARRIER_WAIT_MS;
        while (carrier.busy() && Date.now() < until) await turn();
        if (carrier.error) throw new Error(carrier.error);
        if (carrier.busy()) throw new Error(`V2G bytes still in flight after ${DC_CARRIER_WAIT_MS} ms`);
      }
      const t = this.sim.nextEventMs();
      if (t === undefined) break;
      this.advance(t);
    }
    return this.summary();
  }

  /** True when no session is in progress: nothing plugged, or both sides ended with the output off. */
  idle(): boolean {
    const sim = this.sim;
    const c = sim.ctl;
    if (!sim.cable.plugged && c.evse.phase === "idle" && c.ev.phase === "unplugged") return true;
    const evDone = c.evFrozen || c.ev.phase === "ended" || c.ev.phase === "unplugged";
    return c.evse.phase === "ended" && evDone && !sim.path.k1 && !c.evse.safety.contactorsCmd;
  }

  /** The run is over; a script that did not get to its end says where it stopped (record and summary). */
  private finish(): void {
    this.finished = true;
    const d = this.opts.driver;
    const at = d?.blockedAt;
    if (d && !d.done && at)
      this.sim.record("log", {
        side: "script",
        level: "warn",
        msg: `script did not finish: the run ended (${this.stopReason()}) at command ${at.pos} "${at.text}"`,
      });
  }

  private checkEnd(): void {
    const sim = this.sim;
    const d = this.opts.driver;
    // A script still running (or holding for a plug-in) keeps the run going while anything can happen; a
    // finished script with the cable in ends the run as a session without a script does.
    if (d && !(d.done && sim.cable.plugged)) {
      if (!this.idle()) {
        this.overSinceMs = null;
        return;
      }
      this.overSinceMs ??= sim.nowMs;
      if (!d.done && !(d.waiting && sim.nowMs - this.overSinceMs >= (d.stallMs ?? DC_SCRIPT_STALL_MS)))
        return;
      if (!sim.cable.plugged) {
        sim.setPhase("ended");
        this.finish();
        return;
      }
    }
    const c = sim.ctl;
    const evDone = c.evFrozen || c.ev.phase === "ended" || c.ev.phase === "unplugged";
    const ended = c.evse.phase === "ended" && evDone;
    if (!ended) {
      this.endSeenMs = null; // a later plug-in's session is timed from its own end
      return;
    }
    this.endSeenMs ??= sim.nowMs;
    const off = !sim.path.k1 && !c.evse.safety.contactorsCmd && sim.currentA === 0;
    const unlocked = c.evFrozen || (!c.ev.lockCmd && !sim.lock.locked);
    if ((off && unlocked) || sim.nowMs - this.endSeenMs > DC_SESSION_SETTLE_MS) {
      if (off && unlocked) sim.setPhase("ended");
      this.finish();
    }
  }

  /**
   * The stop reason: the earliest named reason of either side (EV stop or EVSE trip / stop); a
   * safety-relevant EV finding (welded contactor, pre-charge failure) outranks a normal stop before it.
   */
  stopReason(): string {
    const sim = this.sim;
    const fallback = this.finished ? "time limit" : "not finished";
    return pickStopReason(sim.evStops, sim.trips, sim.ctl.evse.stopReason, fallback);
  }

  status(): DcSessionStatus {
    const sim = this.sim;
    return { tMs: sim.nowMs, soc: sim.soc, powerW: sim.powerW, phase: this.finished ? "done" : sim.phase };
  }

  summary(): DcSessionSummary {
    const sim = this.sim;
    const p = sim.path;
    const perMessage: Record<string, ProcessingStats> = {};
    const all: number[] = [];
    for (const [k, v] of Object.entries(sim.ctl.processingMs)) {
      const st = timeStats(v);
      perMessage[k] = { n: st.count, median: roundMs(st.median), p99: roundMs(st.p99), max: roundMs(st.max) };
      all.push(...v);
    }
    const tot = timeStats(all);
    const rt: ResponseTimesMs = { median: roundMs(tot.median), p99: roundMs(tot.p99), perMessage };
    const d = this.opts.driver;
    const blocked = d && !d.done ? (d.blockedAt ?? null) : null;
    const lim = { current: false, voltage: false, power: false };
    for (const l of sim.limitEvents) {
      lim.current ||= l.current;
      lim.voltage ||= l.voltage;
      lim.power ||= l.power;
    }
    return {
      mode: this.opts.energy ?? "dc",
      batteryKwh: this.opts.batteryKwh,
      energyDeliveredWh: round(p.energyWh, 3),
      energyDischargedWh: round(p.dischargedWh, 3),
      lossesWh: round(p.lossesWh, 3),
      durationS: round(sim.nowMs / 1000, 3),
      socStart: this.opts.socStart,
      socEnd: round(p.soc, 4),
      peakPowerW: round(p.peakPowerW, 1),
      peakDischargePowerW: round(p.peakDischargePowerW, 1),
      stopReason: this.stopReason(),
      events: this.opts.timeline === false ? [] : timelineOf(this.trace),
      protocol: sim.ctl.evse.secc.protocol ?? this.opts.protocol,
      messages: { ...sim.ctl.messages },
      responseTimesMs: rt,
      safety: sim.trips.map((t) => ({ ...t })),
      outputPeak: {
        currentA: round(p.peakCurrentA, 1),
        voltageV: round(p.peakVoltageV, 1),
        dischargeCurrentA: round(p.peakDischargeCurrentA, 1),
      },
      limitsAchieved: lim,
      sessions: plugInSummaries({
        plugIns: sim.plugIns,
        evStops: sim.evStops,
        trips: sim.trips,
        now: sim.plugInFigures(),
        fallback: this.finished ? "time limit" : "not finished",
      }),
      ...(d && {
        script: { done: d.done, blockedAt: blocked ? { pos: blocked.pos, text: blocked.text } : null },
      }),
    };
  }
}

function act(s: DcSim, a: DcScriptAction): void {
  switch (a.kind) {
    case "fault":
      s.inject(a.name);
      break;
    case "ev-stop":
      s.ctl.toEv({ kind: "stop", tMs: s.nowMs });
      break;
    case "evse-stop":
      s.ctl.toEvse({ kind: "stop-charging", tMs: s.nowMs });
      break;
    case "unplug":
      s.pressButton(true);
      s.at(s.nowMs + 1000, "unplug", (x) => x.unplug());
      break;
  }
}

/** Run a whole DC session in accelerated virtual time. */
export function runDcSession(o: DcSessionOptions): DcSessionSummary {
  return new DcSession(o).run();
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
