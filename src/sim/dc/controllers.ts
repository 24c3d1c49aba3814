/**
 * The two controllers inside the DC simulator and the wiring between them: delivers events to
 * `stepEvseDc` / `stepEvDc`, carries out their effects on the cable, the PLC medium, the SDP stand-in, the
 * V2G byte pipe (V2GTP framing + deframing), the power path, the relays and the inlet lock, and measures
 * the safety figures (detection → output off, contactor opening current, unlock voltage).
 */
import {
  type EvDcEffect,
  type EvDcEvent,
  type EvDcState,
  initialEvDc,
  packTerminalV,
} from "../../ev/dc/index.js";
import { type EvseDcEffect, type EvseDcEvent, type EvseDcState, initialEvseDc } from "../../evse/dc/index.js";
import { SAFETY_CONTACTOR_OPEN_MAX_A } from "../../evse/safety/index.js";
import { bytesToHex } from "../../exi/hex.js";
import {
  createEvHost,
  createEvseHost,
  type EvNetworkEffect,
  type EvseNetworkEffect,
} from "../../link/host/controllers.js";
import type { Clock, MachineDriver } from "../../machine/index.js";
import type { SlacFrame } from "../../slac/index.js";
import {
  createV2gtpDeframer,
  dcPhaseAfter,
  encodeV2gtpMessage,
  type V2gtpDeframer,
} from "../../v2g/index.js";
import { SIM_DC_NET_LATENCY_MS } from "./constants.js";
import type { DcSim } from "./dc-sim.js";

/** Events of the DC simulator queue that are not the world's (controller inputs, V2G bytes, actions). */
export type SimEvent =
  | { k: "action"; label: string; fn: () => void }
  | { k: "to-evse"; ev: EvseDcEvent }
  | { k: "to-ev"; ev: EvDcEvent }
  | { k: "bytes"; to: "evse" | "ev"; chunk: Uint8Array; conn: number };

/**
 * An undecodable EXI document (fault `malformed-message`): EXI header byte, then bits that select no
 * production of the V2G_Message grammar. Design choice (D).
 */
export const MALFORMED_EXI = Uint8Array.of(0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/**
 * The two controllers, each on the one controller host (src/link/host/controllers.ts), with the simulated
 * world as their ports: board commands act on the cable, relays, power path and IMD; network effects go
 * through the PLC medium, the SDP stand-in and the V2G byte pipe; observed effects are recorded.
 */
export class Controllers {
  readonly evseHost: MachineDriver<EvseDcState, EvseDcEvent>;
  readonly evHost: MachineDriver<EvDcState, EvDcEvent>;
  linkUp = true;
  conn = 0;
  connOpen = false;
  /** Over a real carrier: why the connection closed, told to the peer when the FIN arrives. */
  private closeReason = "peer closed";
  readonly messages: Record<string, number> = {};
  /**
   * SECC processing time per request (wall ms, host clock): `stepEvseDc` on the received message, i.e.
   * EXI decode → SECC step → EXI encode of the response. Keyed by message pair name ("CurrentDemand").
   */
  readonly processingMs: Record<string, number[]> = {};
  protocol: string | null = null;
  /** Fault `malformed-message`: replace the EV's next V2G message by {@link MALFORMED_EXI}. */
  corruptNextEvMessage = false;
  private deframers: Record<"evse" | "ev", V2gtpDeframer> = {
    evse: createV2gtpDeframer(),
    ev: createV2gtpDeframer(),
  };
  private readonly sim: DcSim;

  constructor(sim: DcSim) {
    this.sim = sim;
    const perf = (globalThis as { performance?: { now(): number } }).performance;
    const hostClock = sim.cfg.hostClock ?? (perf ? () => perf.now() : () => 0);
    this.evseHost = createEvseHost({
      state: initialEvseDc(sim.cfg.evse),
      clock: this.worldClock(false),
      hostClock,
      onStep: (ev, fx, ms) => {
        if (ev.kind === "v2g-message") this.noteProcessing(fx, ms);
      },
      ports: {
        board: (c) => this.sim.world.evseCommand(c),
        network: (e) => this.evseNetwork(e),
        observe: (f) => this.evseObserve(f),
      },
    });
    // Over a real carrier the bytes arrive later in wall time, at the same virtual time (the clock held).
    sim.cfg.v2gCarrier?.onData((conn, to, chunk) =>
      sim.post(sim.nowMs + SIM_DC_NET_LATENCY_MS, { k: "bytes", to, chunk, conn }),
    );
    sim.cfg.v2gCarrier?.onEnd((conn, to) => {
      if (conn !== this.conn || !this.linkUp) return;
      const ev = { kind: "v2g-closed" as const, reason: this.closeReason, tMs: 0 };
      sim.post(sim.nowMs + SIM_DC_NET_LATENCY_MS, to === "evse" ? { k: "to-evse", ev } : { k: "to-ev", ev });
    });
    const b = sim.cfg.ev.battery;
    this.evHost = createEvHost({
      state: initialEvDc(sim.cfg.ev, sim.cfg.socStart, packTerminalV(b, sim.cfg.socStart, 0)),
      clock: this.worldClock(true),
      ports: {
        board: (c) => this.sim.world.evCommand(c),
        network: (e) => this.evNetwork(e),
        observe: (f) => this.evObserve(f),
      },
    });
  }

  /**
   * From `atMs` on, nothing the EVSE sends on the V2G connection reaches the EV, its messages nor its
   * closing (the SECC falls silent to the EV): the EVCC's message timeouts can be measured against an
   * otherwise identical session.
   */
  muteEvseV2gFrom(atMs: number): void {
    this.evseMutedFromMs = atMs;
  }
  private evseMutedFromMs = Number.POSITIVE_INFINITY;

  /** The EV's computer hangs (fault `ev-unresponsive`): its host stops, no event or timer reaches it. */
  freezeEv(): void {
    this.evHost.stop();
  }
  get evFrozen(): boolean {
    return this.evHost.stopped;
  }

  /** EVSE controller state. */
  get evse(): EvseDcState {
    return this.evseHost.state();
  }
  /** EV controller state. */
  get ev(): EvDcState {
    return this.evHost.state();
  }

  /**
   * The simulation clock as the controllers' hosts see it: a timer runs like every simulated event (power
   * path brought up to date first, measuring scheduled after); the EV's timers (its next request) see
   * fresh BMS and inlet measurements.
   */
  private worldClock(ev: boolean): Clock {
    const c = this.sim.clock;
    return {
      now: () => c.now(),
      setTimeout: (fn, ms) =>
        this.sim.world.at(c.now() + ms, () => {
          if (ev) this.syncMeasurements(false);
          fn();
        }),
      clearTimeout: (h) => c.clearTimeout(h),
    };
  }

  /** SECC processing time of one request (decode → step → encode), keyed by message pair name. */
  private noteProcessing(fx: readonly EvseDcEffect[], ms: number): void {
    const res = fx.find((f) => f.kind === "v2g-send");
    if (!res) return;
    const key = res.name.replace(/Res$/, "");
    const list = this.processingMs[key];
    if (list) list.push(ms);
    else this.processingMs[key] = [ms];
  }

  /** True while the EV still waits to unlock (the sim keeps measuring the inlet). */
  pendingUnlock(): boolean {
    return !this.evFrozen && this.ev.lockCmd && (this.ev.phase === "ended" || this.ev.stopReason !== null);
  }

  handle(e: SimEvent): void {
    const sim = this.sim;
    const now = sim.nowMs;
    switch (e.k) {
      case "to-evse":
        this.toEvse({ ...e.ev, tMs: now } as EvseDcEvent);
        break;
      case "to-ev":
        this.toEv({ ...e.ev, tMs: now } as EvDcEvent);
        break;
      case "bytes":
        // Data sent before a FIN still arrives (TCP); a new connection or a dead link drops it.
        if (e.conn !== this.conn || !this.linkUp) break;
        this.syncMeasurements(false);
        for (const m of this.deframers[e.to].push(e.chunk)) {
          const ev = { kind: "v2g-message" as const, payloadType: m.payloadType, bytes: m.payload, tMs: now };
          if (e.to === "evse") this.toEvse(ev);
          else this.toEv(ev);
        }
        break;
      default:
        break;
    }
  }

  /** Fresh measurements to both controllers (if time moved, or `force`). */
  syncMeasurements(force: boolean): void {
    this.sim.world.syncMeasurements(force);
  }

  // ------------------------------------------------------------------ EVSE

  toEvse(ev: EvseDcEvent): void {
    this.evseHost.push(ev);
  }

  /** The EVSE's network: PLC medium (SLAC), SDP stand-in, V2G byte pipe. */
  private evseNetwork(f: EvseNetworkEffect): void {
    const sim = this.sim;
    const now = sim.nowMs;
    switch (f.kind) {
      case "slac-send":
        this.transmit("evse", f.frame);
        break;
      case "sdp-reply":
        if (this.linkUp) {
          sim.cfg.onWire?.(now, { kind: "sdp", from: "evse", datagram: f.datagram });
          sim.post(now + SIM_DC_NET_LATENCY_MS, {
            k: "to-ev",
            ev: { kind: "sdp-response", datagram: f.datagram, tMs: 0 },
          });
        }
        break;
      case "v2g-send":
        if (now >= this.evseMutedFromMs) break;
        this.count(f.name, "evse", f.payloadType, f.bytes);
        this.send("ev", f.payloadType, f.bytes);
        break;
      case "v2g-close":
        if (now >= this.evseMutedFromMs) break;
        this.close("ev", f.reason);
        break;
    }
  }

  /** What the simulator records of the EVSE's other effects (limits, trips, session end, phases, logs). */
  private evseObserve(f: EvseDcEffect): void {
    const sim = this.sim;
    const now = sim.nowMs;
    switch (f.kind) {
      case "limits":
        sim.limitEvents.push({ tMs: now, current: f.current, voltage: f.voltage, power: f.power });
        sim.record("log", {
          side: "evse",
          level: "info",
          msg: `limits achieved: current ${f.current}, voltage ${f.voltage}, power ${f.power}`,
        });
        break;
      case "trip": {
        const inj = sim.injected[sim.injected.length - 1];
        sim.trips.push({
          fault: f.fault,
          reason: f.reason,
          detail: f.detail,
          injectedAtMs: inj ? inj.tMs : null,
          detectedAtMs: now,
          offAtMs: null,
          contactorsOpenAtMs: null,
          currentAtOpenA: null,
          unlockAtMs: null,
          voltageAtUnlockV: null,
        });
        sim.record("trip", { fault: f.fault, reason: f.reason, detail: f.detail });
        break;
      }
      case "session-end":
        sim.record("log", {
          side: "evse",
          level: f.normal ? "info" : "warn",
          msg: `session end: ${f.reason} (${f.detail})`,
        });
        break;
      case "phase":
        this.endWhenBothOut();
        sim.record("log", { side: "evse", level: "info", msg: `EVSE phase ${f.phase}` });
        break;
      case "log":
        if (f.level === "warn" || f.level === "error")
          sim.record("log", { side: "evse", level: f.level, msg: f.msg });
        break;
      default:
        break;
    }
  }

  // ------------------------------------------------------------------ EV

  toEv(ev: EvDcEvent): void {
    this.evHost.push(ev);
  }

  /** The EV's network: PLC medium, SDP stand-in, V2G byte pipe (with the malformed-message fault). */
  private evNetwork(f: EvNetworkEffect): void {
    const sim = this.sim;
    const now = sim.nowMs;
    const L = SIM_DC_NET_LATENCY_MS;
    switch (f.kind) {
      case "slac-send":
        this.transmit("ev", f.frame);
        break;
      case "sdp-send":
        if (this.linkUp) {
          sim.cfg.onWire?.(now, { kind: "sdp", from: "ev", datagram: f.datagram });
          sim.post(now + L, { k: "to-evse", ev: { kind: "sdp-request", datagram: f.datagram, tMs: 0 } });
        }
        break;
      case "v2g-connect":
        this.conn++;
        this.connOpen = true;
        sim.cfg.v2gCarrier?.open(this.conn);
        sim.cfg.onWire?.(now, { kind: "tcp-open", conn: this.conn });
        this.deframers = { evse: createV2gtpDeframer(), ev: createV2gtpDeframer() };
        sim.post(now + L, { k: "to-evse", ev: { kind: "v2g-connected", tMs: 0 } });
        sim.post(now + 2 * L, { k: "to-ev", ev: { kind: "v2g-connected", tMs: 0 } });
        break;
      case "v2g-send": {
        let bytes = f.bytes;
        if (this.corruptNextEvMessage) {
          this.corruptNextEvMessage = false;
          bytes = MALFORMED_EXI;
          sim.record("log", { side: "sim", level: "warn", msg: `${f.name} replaced by malformed EXI` });
        }
        this.count(f.name, "ev", f.payloadType, bytes);
        this.notePhase(f.name);
        this.send("evse", f.payloadType, bytes);
        break;
      }
      case "v2g-close":
        this.close("evse", f.reason);
        break;
    }
  }

  /** What the simulator records of the EV's other effects (stop, phases, logs). */
  private evObserve(f: EvDcEffect): void {
    const sim = this.sim;
    switch (f.kind) {
      case "stop":
        sim.evStops.push({ tMs: sim.nowMs, reason: f.reason, fault: f.fault === true });
        sim.record("stop", { side: "ev", reason: f.reason });
        break;
      case "phase":
        this.endWhenBothOut();
        sim.record("log", { side: "ev", level: "info", msg: `EV phase ${f.phase}` });
        break;
      case "log":
        if (f.level === "warn" || f.level === "error")
          sim.record("log", { side: "ev", level: f.level, msg: f.msg });
        break;
      default:
        break;
    }
  }

  /**
   * The simulated session has ended once both sides are out of it, whichever leaves last: the EVSE ended
   * (or back to idle), the EV ended or unplugged (a plug pulled during the EV's own stop sequence, e.g. its
   * welding detection after the EVSE already tripped, takes the EV straight to unplugged).
   */
  private endWhenBothOut(): void {
    const ev = this.ev.phase;
    const evse = this.evse.phase;
    if ((ev === "ended" || ev === "unplugged") && (evse === "ended" || evse === "idle"))
      this.sim.setPhase("ended");
  }

  private notePhase(name: string): void {
    this.sim.setPhase(dcPhaseAfter(this.sim.phase, name));
  }

  /**
   * Count a V2G message and record it: `dir` as the EVSE sees it (as `nacs evse --events` writes it), `from`
   * the sender, `payloadType` and `bytes` (hex) the V2GTP payload type and payload — the EXI stream as sent
   * (ISO 15118-2 §7.8.3, DIN 70121 §8.7.3), so a viewer can decode it with the codecs.
   */
  private count(name: string, from: "evse" | "ev", payloadType: number, bytes: Uint8Array): void {
    this.messages[name] = (this.messages[name] ?? 0) + 1;
    if (!this.sim.recording) return;
    this.sim.record("msg", {
      dir: from === "evse" ? "tx" : "rx",
      from,
      name,
      payloadType,
      bytes: bytesToHex(bytes),
    });
  }

  private transmit(from: "evse" | "ev", frame: SlacFrame): void {
    const sim = this.sim;
    if (!this.linkUp) return;
    sim.cfg.onWire?.(sim.nowMs, { kind: "slac", from, frame });
    for (const d of sim.medium.transmit(from, frame, sim.nowMs)) {
      if (d.to === "evse")
        sim.post(d.atMs, {
          k: "to-evse",
          ev: { kind: "slac-frame", frame: d.frame, attenuationDb: d.attenuationDb, tMs: 0 },
        });
      else sim.post(d.atMs, { k: "to-ev", ev: { kind: "slac-frame", frame: d.frame, tMs: 0 } });
    }
  }

  private send(to: "evse" | "ev", payloadType: number, bytes: Uint8Array): void {
    if (!this.linkUp || !this.connOpen) return;
    const sim = this.sim;
    const chunk = encodeV2gtpMessage(payloadType, bytes);
    sim.cfg.onWire?.(sim.nowMs, {
      kind: "v2gtp",
      from: to === "evse" ? "ev" : "evse",
      conn: this.conn,
      message: chunk,
    });
    if (sim.cfg.v2gCarrier) sim.cfg.v2gCarrier.write(this.conn, to, chunk);
    else sim.post(sim.nowMs + SIM_DC_NET_LATENCY_MS, { k: "bytes", to, chunk, conn: this.conn });
  }

  /** Fault `tcp-drop`: the connection is reset (RST); both ends see it closed, the PLC link stays up. */
  resetConnection(reason: string): void {
    if (!this.connOpen) return;
    this.connOpen = false;
    const sim = this.sim;
    sim.cfg.onWire?.(sim.nowMs, { kind: "tcp-close", from: "ev", conn: this.conn, reset: true });
    sim.cfg.v2gCarrier?.reset(this.conn);
    const ev = { kind: "v2g-closed" as const, reason, tMs: 0 };
    sim.post(sim.nowMs + SIM_DC_NET_LATENCY_MS, { k: "to-evse", ev });
    sim.post(sim.nowMs + SIM_DC_NET_LATENCY_MS, { k: "to-ev", ev });
  }

  private close(to: "evse" | "ev", reason: string): void {
    if (!this.connOpen) return;
    this.connOpen = false;
    const sim = this.sim;
    if (!this.linkUp) return;
    sim.cfg.onWire?.(sim.nowMs, { kind: "tcp-close", from: to === "evse" ? "ev" : "evse", conn: this.conn });
    const ev = { kind: "v2g-closed" as const, reason: `peer closed: ${reason}`, tMs: 0 };
    const carrier = sim.cfg.v2gCarrier;
    if (carrier) {
      // The FIN travels behind the bytes written before it: the peer learns of the close after them.
      this.closeReason = ev.reason;
      carrier.end(this.conn, to === "evse" ? "ev" : "evse");
      return;
    }
    if (to === "evse") sim.post(sim.nowMs + SIM_DC_NET_LATENCY_MS, { k: "to-evse", ev });
    else sim.post(sim.nowMs + SIM_DC_NET_LATENCY_MS, { k: "to-ev", ev });
  }
}

/** The EV contactors' safe-open figure re-exported for reports. */
export const CONTACTOR_SAFE_A = SAFETY_CONTACTOR_OPEN_MAX_A;
