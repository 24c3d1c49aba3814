/**
 * Loopback runner: an SECC and an EVCC machine wired back to back on a virtual clock, every message going
 * through the EXI codecs and V2GTP framing/deframing, with the simple port models of `src/v2g/ports/models`
 * (DC plant + isolation monitor + meter, battery/BMS, AC on-board charger). Used by the session tests and
 * available to the simulator and CLI. Pure: no I/O, no real time.
 */
import type { CpState } from "../../pilot/index.js";
import type { EvccReadings } from "../ports/evcc-ports.js";
import {
  advanceBattery,
  type BatteryModel,
  type BatteryParams,
  createBattery,
  DEFAULT_BATTERY,
  ocv,
  targetCurrent,
  terminalVoltage,
} from "../ports/models/battery.js";
import {
  advanceDcPlant,
  applySeccCommand,
  createDcPlant,
  type DcPlant,
  inletVoltage,
} from "../ports/models/dc-plant.js";
import {
  advanceIsolationMonitor,
  createIsolationMonitor,
  type IsolationMonitorModel,
  startIsolationTest,
  stopIsolationTest,
} from "../ports/models/isolation-monitor.js";
import { encodeV2gtpMessage } from "../v2gtp.js";
import { createV2gtpDeframer, type V2gtpDeframer } from "../v2gtp-deframer.js";
import { createEvcc, stepEvcc } from "./evcc.js";
import type { EvccConfig, EvccState } from "./evcc-state.js";
import { createSecc, stepSecc } from "./secc.js";
import type { SeccConfig, SeccState } from "./secc-state.js";
import type { EvccEffect, EvccEvent, SeccEffect, SeccEvent, StopReason } from "./types.js";

/** Options of {@link runLoopback}. */
export interface LoopbackOptions {
  secc?: Partial<SeccConfig>;
  evcc?: Partial<EvccConfig>;
  /** One-way network latency (ms). Default 2. */
  latencyMs?: number;
  /** Model step and port-reading period (ms). Default 20. */
  tickMs?: number;
  /** Stop the run at this virtual time (ms). Default 30 min. */
  maxMs?: number;
  initialSocPercent?: number;
  /** Battery model parameters (default {@link DEFAULT_BATTERY}); the EVCC's capacity/limits follow them. */
  battery?: Partial<BatteryParams>;
  isolation?: { resistanceOhm?: number; testDurationMs?: number };
  /** Extra events injected at given times (controls, faults, port overrides). */
  script?: ScriptStep[];
  /** After a paused session, reconnect this long later (ms); omit for no reconnection. */
  resumeAfterMs?: number;
  /** Drop every message the named side sends from this time on (to provoke timeouts). */
  muteFromMs?: { side: "secc" | "evcc"; atMs: number };
}

/** An injected event. */
export type ScriptStep = { atMs: number; secc: SeccEvent } | { atMs: number; evcc: EvccEvent };

/** A message seen on the wire. */
export interface WireRecord {
  tMs: number;
  from: "secc" | "evcc";
  name: string;
  bytes: number;
}

/** What happened. */
export interface LoopbackResult {
  wire: WireRecord[];
  seccEnds: { tMs: number; reason: StopReason; detail: string }[];
  evccEnds: { tMs: number; reason: StopReason; detail: string }[];
  seccEffects: { tMs: number; effect: SeccEffect }[];
  evccEffects: { tMs: number; effect: EvccEffect }[];
  secc: SeccState;
  evcc: EvccState;
  plant: DcPlant;
  endMs: number;
}

type Item =
  | { t: number; seq: number; to: "secc"; ev: SeccEvent }
  | { t: number; seq: number; to: "evcc"; ev: EvccEvent }
  | { t: number; seq: number; to: "bytes"; side: "secc" | "evcc"; chunk: Uint8Array }
  | { t: number; seq: number; to: "tick" }
  | { t: number; seq: number; to: "reconnect" };

type NewItem = Item extends unknown
  ? Item extends infer I
    ? I extends Item
      ? Omit<I, "seq">
      : never
    : never
  : never;

/** Run a session (or several, with pause/resume) to completion or `maxMs`. */
export function runLoopback(o: LoopbackOptions = {}): LoopbackResult {
  const latency = o.latencyMs ?? 2;
  const tick = o.tickMs ?? 20;
  const maxMs = o.maxMs ?? 30 * 60_000;
  const bp: BatteryParams = { ...DEFAULT_BATTERY, ...o.battery };
  let secc = createSecc(o.secc);
  let evcc = createEvcc(o.evcc);
  evcc = {
    ...evcc,
    readings: {
      ...evcc.readings,
      capacityWh: bp.capacityWh,
      maxCurrentA: bp.maxCurrentA,
      maxVoltageV: bp.maxVoltageV,
      maxPowerW: bp.maxPowerW,
      targetVoltageV: bp.maxVoltageV,
    },
  };
  const ac = evcc.cfg.mode.startsWith("AC");
  let plant = createDcPlant(createBattery(o.initialSocPercent ?? evcc.cfg.readings.socPercent, bp));
  let imd: IsolationMonitorModel = createIsolationMonitor(
    o.isolation?.resistanceOhm,
    o.isolation?.testDurationMs,
  );
  const io = { s2: "open" as "open" | "closed" };
  let acCurrentA = 0;
  let acContactors = false;
  let acEnergyWh = 0;
  const deframers: Record<"secc" | "evcc", V2gtpDeframer> = {
    secc: createV2gtpDeframer(),
    evcc: createV2gtpDeframer(),
  };
  const res: LoopbackResult = {
    wire: [],
    seccEnds: [],
    evccEnds: [],
    seccEffects: [],
    evccEffects: [],
    secc,
    evcc,
    plant,
    endMs: 0,
  };
  const q: Item[] = [];
  let seq = 0;
  const push = (it: NewItem) => {
    const item = { ...it, seq: seq++ } as Item;
    let i = q.length;
    while (i > 0 && (q[i - 1]!.t > item.t || (q[i - 1]!.t === item.t && q[i - 1]!.seq > item.seq))) i--;
    q.splice(i, 0, item);
  };
  const cpState = (): CpState => (io.s2 === "closed" ? "C" : "B");

  const seccFx = (t: number, fx: SeccEffect[]) => {
    for (const e of fx) {
      res.seccEffects.push({ tMs: t, effect: e });
      if (e.kind === "send") send("secc", t, e.payloadType, e.bytes, e.name);
      else if (e.kind === "set-timer")
        push({ t: e.atMs, to: "secc", ev: { kind: "timer", id: e.id, tMs: e.atMs } });
      else if (e.kind === "session-end")
        res.seccEnds.push({ tMs: t, reason: e.stopReason, detail: e.detail });
      else if (e.kind === "close" && !muted("secc", t))
        push({ t: t + latency, to: "evcc", ev: { kind: "closed", reason: "peer-closed", tMs: t + latency } });
      else if (e.kind === "port-command") {
        const c = e.command;
        if (c.port === "isolation")
          imd = c.op === "start" ? startIsolationTest(imd, c.voltageV, t) : stopIsolationTest(imd);
        else if (ac && c.port === "contactors") acContactors = c.op === "close";
        else plant = applySeccCommand(plant, c);
      }
    }
  };
  const evccFx = (t: number, fx: EvccEffect[]) => {
    for (const e of fx) {
      res.evccEffects.push({ tMs: t, effect: e });
      if (e.kind === "send") send("evcc", t, e.payloadType, e.bytes, e.name);
      else if (e.kind === "set-timer")
        push({ t: e.atMs, to: "evcc", ev: { kind: "timer", id: e.id, tMs: e.atMs } });
      else if (e.kind === "session-end") {
        res.evccEnds.push({ tMs: t, reason: e.stopReason, detail: e.detail });
        if (e.stopReason === "paused" && o.resumeAfterMs !== undefined)
          push({ t: t + o.resumeAfterMs, to: "reconnect" });
      } else if (e.kind === "close" && !muted("evcc", t))
        push({ t: t + latency, to: "secc", ev: { kind: "closed", reason: "peer-closed", tMs: t + latency } });
      else if (e.kind === "port-command") {
        const c = e.command;
        if (c.port === "contactors") plant = { ...plant, evContactorsClosed: c.op === "close" };
        else if (c.port === "charger") acCurrentA = c.currentA;
        else {
          io.s2 = c.op === "close" ? "closed" : "open";
          push({ t: t + 1, to: "secc", ev: { kind: "cp", state: cpState(), tMs: t + 1 } });
        }
      }
    }
  };
  const muted = (from: "secc" | "evcc", t: number) =>
    !!o.muteFromMs && o.muteFromMs.side === from && t >= o.muteFromMs.atMs;
  const send = (from: "secc" | "evcc", t: number, payloadType: number, bytes: Uint8Array, name: string) => {
    if (muted(from, t)) return;
    const framed = encodeV2gtpMessage(payloadType, bytes);
    res.wire.push({ tMs: t, from, name, bytes: bytes.length });
    push({ t: t + latency, to: "bytes", side: from === "secc" ? "evcc" : "secc", chunk: framed });
  };
  const evccReadings = (): Partial<EvccReadings> => {
    const b: BatteryModel = plant.battery;
    return {
      socPercent: b.socPercent,
      batteryVoltageV: ac ? ocv(b) : terminalVoltage(b),
      inletVoltageV: inletVoltage(plant),
      targetCurrentA: targetCurrent(b),
      contactorsClosed: plant.evContactorsClosed,
    };
  };

  const connect = (t: number) => {
    for (const d of ["secc", "evcc"] as const) deframers[d] = createV2gtpDeframer();
    push({ t, to: "secc", ev: { kind: "connected", tMs: t } });
    push({ t: t + latency, to: "evcc", ev: { kind: "connected", tMs: t + latency } });
  };
  connect(0);
  push({ t: 0, to: "tick" });
  for (const st of o.script ?? []) {
    if ("secc" in st) push({ t: st.atMs, to: "secc", ev: st.secc });
    else push({ t: st.atMs, to: "evcc", ev: st.evcc });
  }

  let now = 0;
  while (q.length > 0) {
    const it = q.shift()!;
    if (it.t > maxMs) break;
    now = it.t;
    if (it.to === "secc") {
      const [s, fx] = stepSecc(secc, it.ev);
      secc = s;
      seccFx(now, fx);
    } else if (it.to === "evcc") {
      const [s, fx] = stepEvcc(evcc, it.ev);
      evcc = s;
      evccFx(now, fx);
    } else if (it.to === "bytes") {
      for (const m of deframers[it.side].push(it.chunk)) {
        if (it.side === "secc") {
          const [s, fx] = stepSecc(secc, {
            kind: "message",
            payloadType: m.payloadType,
            bytes: m.payload,
            tMs: now,
          });
          secc = s;
          seccFx(now, fx);
        } else {
          const [s, fx] = stepEvcc(evcc, {
            kind: "message",
            payloadType: m.payloadType,
            bytes: m.payload,
            tMs: now,
          });
          evcc = s;
          evccFx(now, fx);
        }
      }
    } else if (it.to === "reconnect") {
      connect(now);
    } else {
      // advance the physical models and report readings to both machines
      imd = advanceIsolationMonitor(imd, now);
      if (ac) {
        const flowing = acContactors && io.s2 === "closed" && acCurrentA > 0;
        const phases = evcc.cfg.mode === "AC_three_phase_core" ? 3 : 1;
        const p = flowing
          ? secc.readings.ac.nominalVoltageV * Math.min(acCurrentA, secc.readings.ac.maxCurrentA) * phases
          : 0;
        const battery = advanceBattery(plant.battery, p / ocv(plant.battery), tick);
        acEnergyWh += (p * tick) / 3_600_000;
        plant = { ...plant, battery };
      } else plant = advanceDcPlant(plant, tick);
      const ended =
        secc.conn !== "session" && secc.conn !== "sap" && evcc.conn !== "session" && evcc.conn !== "sap";
      const pendingWork = q.some(
        (x) =>
          x.to !== "tick" &&
          !(x.to === "secc" && x.ev.kind === "timer") &&
          !(x.to === "evcc" && x.ev.kind === "timer"),
      );
      if (ended && !pendingWork) break;
      stepPorts(now);
      push({ t: now + tick, to: "tick" });
    }
  }

  function stepPorts(t: number) {
    const [s, fx] = stepSecc(secc, {
      kind: "port",
      readings: {
        presentVoltageV: plant.outV,
        presentCurrentA: ac ? acCurrentA : plant.outI,
        isolation: imd.reading,
        energyWh: ac ? acEnergyWh : plant.energyWh,
        contactorsClosed: ac ? acContactors : plant.evseContactorsClosed,
      },
      tMs: t,
    });
    secc = s;
    seccFx(t, fx);
    const [e, efx] = stepEvcc(evcc, { kind: "port", readings: evccReadings(), tMs: t });
    evcc = e;
    evccFx(t, efx);
  }

  return { ...res, secc, evcc, plant, endMs: now };
}
