/**
 * Test-only: an EVCC and an SECC machine wired back to back in virtual time, with a minimal physical world:
 * the power stage's set voltage appears at once as present voltage, the isolation monitor reports Valid on the
 * next event, S2 closed is CP C, the EVSE meter counts V × I. Every loop is bounded by `maxSteps`.
 */

import type { EvccPortCommand } from "../../ports/evcc-ports.js";
import { createEvcc, stepEvcc } from "../evcc.js";
import type { EvccConfig, EvccState } from "../evcc-state.js";
import { createSecc, stepSecc } from "../secc.js";
import type { SeccConfig, SeccState } from "../secc-state.js";
import type { EvccEffect, EvccEvent, SeccEffect, SeccEvent } from "../types.js";

/** One message on the wire. */
export interface PairMessage {
  from: "ev" | "evse";
  name: string;
  payloadType: number;
  tMs: number;
}

/** Outcome of {@link runPair}. */
export interface PairResult {
  ev: EvccState;
  evse: SeccState;
  wire: PairMessage[];
  evEnd?: { reason: string; detail: string };
  evseEnd?: { reason: string; detail: string };
  negotiated?: string;
  /** The EV's port commands (S2, contactors, on-board charger), in order. */
  evPort: { tMs: number; command: EvccPortCommand }[];
}

type Item = { at: number; to: "ev"; ev: EvccEvent } | { at: number; to: "evse"; ev: SeccEvent };

/**
 * `runPair` options that stop the EV (a driver's stop) once `n` `loop` requests (default CurrentDemandReq) are on
 * the wire: both sides then end normally.
 */
export function stopEvAfterLoops(
  n: number,
  loop = "CurrentDemandReq",
): { onStep: (r: PairResult, t: number) => Item[] | undefined } {
  let asked = false;
  return {
    onStep: (p, t) => {
      if (asked || p.wire.filter((w) => w.name === loop).length < n) return undefined;
      asked = true;
      return [{ at: t, to: "ev", ev: { kind: "control", control: { op: "stop" }, tMs: t } }];
    },
  };
}

/** Run a session from `connected` until both sides ended (or `maxSteps`). */
export function runPair(
  evCfg: Partial<EvccConfig>,
  evseCfg: Partial<SeccConfig>,
  opts: {
    maxSteps?: number;
    onStep?: (r: PairResult, t: number) => Item[] | undefined;
    /** Continue with these machines (a new connection of a paused session) instead of fresh ones. */
    from?: { ev: EvccState; evse: SeccState };
  } = {},
): PairResult {
  let ev = opts.from?.ev ?? createEvcc({ verifyInletVoltage: false, ...evCfg });
  let evse = opts.from?.evse ?? createSecc(evseCfg);
  const r: PairResult = { ev, evse, wire: [], evPort: [] };
  const queue: Item[] = [];
  const timersEv: Record<string, number> = {};
  const timersEvse: Record<string, number> = {};
  const push = (it: Item) => queue.push(it);
  let powerA = 0;
  let lastT = 0;
  const onEvse = (fx: SeccEffect[], t: number) => {
    for (const f of fx) {
      if (f.kind === "send") {
        r.wire.push({ from: "evse", name: f.name, payloadType: f.payloadType, tMs: t });
        push({
          at: t + 1,
          to: "ev",
          ev: { kind: "message", payloadType: f.payloadType, bytes: f.bytes, tMs: t + 1 },
        });
      } else if (f.kind === "set-timer") timersEvse[f.id] = f.atMs;
      else if (f.kind === "clear-timer") delete timersEvse[f.id];
      else if (f.kind === "session-end") r.evseEnd = { reason: f.stopReason, detail: f.detail };
      else if (f.kind === "negotiated") r.negotiated = f.protocol;
      else if (f.kind === "close")
        push({ at: t + 1, to: "ev", ev: { kind: "closed", reason: f.reason, tMs: t + 1 } });
      else if (f.kind === "port-command") {
        const c = f.command;
        if (c.port === "power-stage" && c.op === "set") {
          powerA = c.currentA;
          push({
            at: t,
            to: "evse",
            ev: { kind: "port", readings: { presentVoltageV: c.voltageV }, tMs: t },
          });
          push({ at: t, to: "ev", ev: { kind: "port", readings: { inletVoltageV: c.voltageV }, tMs: t } });
        } else if (c.port === "power-stage" && c.op === "off") {
          powerA = 0;
          push({
            at: t,
            to: "evse",
            ev: { kind: "port", readings: { presentVoltageV: 0, presentCurrentA: 0 }, tMs: t },
          });
        } else if (c.port === "isolation" && c.op === "start")
          push({
            at: t + 1,
            to: "evse",
            ev: { kind: "port", readings: { isolation: { state: "done", level: "Valid" } }, tMs: t + 1 },
          });
      }
    }
  };
  const onEv = (fx: EvccEffect[], t: number) => {
    for (const f of fx) {
      if (f.kind === "send") {
        r.wire.push({ from: "ev", name: f.name, payloadType: f.payloadType, tMs: t });
        push({
          at: t + 1,
          to: "evse",
          ev: { kind: "message", payloadType: f.payloadType, bytes: f.bytes, tMs: t + 1 },
        });
      } else if (f.kind === "set-timer") timersEv[f.id] = f.atMs;
      else if (f.kind === "clear-timer") delete timersEv[f.id];
      else if (f.kind === "session-end") r.evEnd = { reason: f.stopReason, detail: f.detail };
      else if (f.kind === "close")
        push({ at: t + 1, to: "evse", ev: { kind: "closed", reason: f.reason, tMs: t + 1 } });
      if (f.kind === "port-command") r.evPort.push({ tMs: t, command: f.command });
      if (f.kind === "port-command" && f.command.port === "s2")
        push({ at: t, to: "evse", ev: { kind: "cp", state: f.command.op === "close" ? "C" : "B", tMs: t } });
    }
  };
  // Our pair stands for a TLS 1.3 link: ISO 15118-20 is chosen only there ([V2G20-2356]).
  let [s1, f1] = stepSecc(evse, { kind: "connected", tMs: 0, tls: "1.3" });
  evse = s1;
  onEvse(f1, 0);
  let [e1, g1] = stepEvcc(ev, { kind: "connected", tMs: 0 });
  ev = e1;
  onEv(g1, 0);
  const max = opts.maxSteps ?? 20_000;
  for (let i = 0; i < max; i++) {
    if (ev.conn === "ended" && evse.conn === "ended" && queue.length === 0) break;
    queue.sort((a, b) => a.at - b.at);
    let next = queue.shift();
    // timers: the earliest due one, if before the next queued item
    const tEv = Object.entries(timersEv).sort((a, b) => a[1] - b[1])[0];
    const tSe = Object.entries(timersEvse).sort((a, b) => a[1] - b[1])[0];
    const cands: Item[] = [];
    if (tEv) cands.push({ at: tEv[1], to: "ev", ev: { kind: "timer", id: tEv[0], tMs: tEv[1] } });
    if (tSe) cands.push({ at: tSe[1], to: "evse", ev: { kind: "timer", id: tSe[0], tMs: tSe[1] } });
    cands.sort((a, b) => a.at - b.at);
    if (cands[0] && (!next || cands[0].at < next.at)) {
      if (next) queue.unshift(next);
      next = cands[0];
      if (next.to === "ev") delete timersEv[(next.ev as { id: string }).id];
      else delete timersEvse[(next.ev as { id: string }).id];
    }
    if (!next) break;
    const t = Math.max(lastT, next.at);
    // the EVSE meter: energy at the present output since the last step
    if (powerA > 0 && evse.readings.contactorsClosed !== undefined) {
      const wh = (evse.readings.presentVoltageV * powerA * (t - lastT)) / 3_600_000;
      evse = {
        ...evse,
        readings: { ...evse.readings, energyWh: evse.readings.energyWh + wh, presentCurrentA: powerA },
      };
    }
    lastT = t;
    if (next.to === "ev") {
      [e1, g1] = stepEvcc(ev, { ...next.ev, tMs: t } as EvccEvent);
      ev = e1;
      onEv(g1, t);
    } else {
      [s1, f1] = stepSecc(evse, { ...next.ev, tMs: t } as SeccEvent);
      evse = s1;
      onEvse(f1, t);
    }
    r.ev = ev;
    r.evse = evse;
    const extra = opts.onStep?.(r, t);
    if (extra) for (const x of extra) push(x);
  }
  r.ev = ev;
  r.evse = evse;
  return r;
}
