/**
 * `runSlac`: runs EV and EVSE SLAC step functions over an {@link InMemoryMedium} on a virtual clock (src/machine).
 * It carries out the effects: frames go through the medium (codec round trip), timers go on
 * the clock, `cp` actions and the EV's S2 become CP events at the EVSE the EV is plugged into, and for
 * stations with modem "qca" a small modem model answers CM_SET_KEY.REQ with CM_SET_KEY.CNF (both through
 * the codec), turns every received sound into a CM_ATTEN_PROFILE.IND for its host, and reports the link
 * up once an EV modem and an EVSE modem hold the same NMK. Deterministic for a given seed.
 */

import { createVirtualClock, type TimerHandle } from "../../machine/index.js";
import type { CpState } from "../../pilot/types.js";
import { decodeSlacFrame, encodeSlacFrame, type SlacFrame } from "../frame.js";
import { evSlacBoundMs, evseNoParmBoundMs } from "./constants.js";
import { SlacConfigError } from "./errors.js";
import { type EvSlacConfig, type EvSlacState, evSlacStep, initialEvSlac } from "./ev.js";
import { type EvseSlacConfig, type EvseSlacState, evseSlacStep, initialEvseSlac } from "./evse.js";
import { InMemoryMedium, type MediumLink, type MediumOptions } from "./medium.js";
import { attenProfileInd, bytesEqual, setKeyCnfFrame, setKeyReqFrame } from "./messages.js";
import type { SlacEffect, SlacFailReason } from "./types.js";

/** One scripted CP change seen by an EVSE (state as detected, duty it generates). */
export interface CpStep {
  atMs: number;
  state: CpState;
  duty: number;
}

/** An EVSE in a scenario; `cp` defaults to [{ atMs: 0, state: "B", duty: 5 }]. */
export interface RunSlacEvse {
  name: string;
  config: EvseSlacConfig;
  cp?: CpStep[];
}

/** An EV in a scenario; starts at `startAtMs`, or (default) when the EVSE it is plugged into first shows 5 %. */
export interface RunSlacEv {
  name: string;
  config: EvSlacConfig;
  startAtMs?: number;
  plugInto?: string;
}

/** Scenario for {@link runSlac}. */
export interface RunSlacOptions {
  seed?: number;
  medium?: Omit<MediumOptions, "seed">;
  links?: { a: string; b: string; link: MediumLink }[];
  evses: RunSlacEvse[];
  evs: RunSlacEv[];
  /** Modem answer latency (ms, default 5) and join time after both modems hold the NMK (default 300). */
  modemLatencyMs?: number;
  joinDelayMs?: number;
  /** Delay from an S2 change or a cp action to the EVSE's CP event (default 10 ms). */
  cpDelayMs?: number;
  /** Safety stops: at most this many events (default 100 000) and this virtual time. */
  maxEvents?: number;
  untilMs?: number;
}

/** How a station ended. */
export type SlacOutcome =
  | { kind: "matched"; atMs: number; nmk: Uint8Array; nid: Uint8Array; peerMac: Uint8Array }
  | { kind: "failed"; atMs: number; reason: SlacFailReason };

/** What one station did. */
export interface StationReport {
  name: string;
  role: "ev" | "evse";
  outcome?: SlacOutcome;
  /** Every frame it sent (after the codec round trip), in order. */
  sent: { atMs: number; kind: string; bytes: number; frame: SlacFrame }[];
  cpActions: { atMs: number; action: string }[];
  logs: string[];
}

/** Result of {@link runSlac}. */
export interface RunSlacResult {
  endMs: number;
  events: number;
  /** True when the run ended (safety stop maxEvents/untilMs, or nothing left to do) before every station had an outcome. */
  exhausted: boolean;
  stations: Record<string, StationReport>;
  medium: InMemoryMedium;
  ev: Record<string, EvSlacState>;
  evse: Record<string, EvseSlacState>;
}

type Item =
  | { t: "frame"; to: string; frame: SlacFrame; atten?: number[] }
  | { t: "timer"; to: string; id: string }
  | { t: "cp"; to: string; state: CpState; duty: number; scripted?: boolean }
  | { t: "start"; to: string }
  | { t: "modem"; to: string; ev: "link"; up: boolean };

interface Station {
  name: string;
  role: "ev" | "evse";
  mac: Uint8Array;
  modemMac: Uint8Array;
  qca: boolean;
  timers: Map<string, TimerHandle>;
  modemNmk?: Uint8Array;
  linked: boolean;
  /** EVSE: CP as generated/detected now, and the state the plug gives without E/F (script, EV S2). */
  cp: { state: CpState; duty: number };
  plugState: CpState;
  plugInto?: string;
  s2: boolean;
  startOn5: boolean;
  started: boolean;
}

const roundTrip = (f: SlacFrame): SlacFrame => decodeSlacFrame(encodeSlacFrame(f));

/** Run a SLAC scenario to the end (every station matched or failed) or a safety stop. */
export function runSlac(o: RunSlacOptions): RunSlacResult {
  const medium = new InMemoryMedium({ seed: o.seed ?? 1, ...o.medium });
  const clock = createVirtualClock();
  const schedule = (atMs: number, item: Item): TimerHandle => clock.setTimeoutAt(() => deliver(item), atMs);
  const modemLatency = o.modemLatencyMs ?? 5;
  const joinDelay = o.joinDelayMs ?? 300;
  const cpDelay = o.cpDelayMs ?? 10;
  const maxEvents = o.maxEvents ?? 100_000;
  const evs: Record<string, EvSlacState> = {};
  const evses: Record<string, EvseSlacState> = {};
  const st = new Map<string, Station>();
  const reports: Record<string, StationReport> = {};
  let untilMs = o.untilMs ?? 0;

  const add = (name: string, role: "ev" | "evse", mac: Uint8Array, qca: boolean): Station => {
    medium.attach(name, mac);
    const modemMac = Uint8Array.from(mac);
    modemMac[0] = modemMac[0]! ^ 0x02; // locally administered twin of the host MAC
    const s: Station = {
      name,
      role,
      mac,
      modemMac,
      qca,
      timers: new Map(),
      linked: false,
      cp: { state: "A", duty: 100 },
      plugState: "A",
      s2: false,
      startOn5: false,
      started: false,
    };
    st.set(name, s);
    reports[name] = { name, role, sent: [], cpActions: [], logs: [] };
    return s;
  };

  for (const e of o.evses) {
    evses[e.name] = initialEvseSlac(e.config);
    add(e.name, "evse", evses[e.name]!.config.mac, evses[e.name]!.config.modem === "qca");
    for (const step of e.cp ?? [{ atMs: 0, state: "B", duty: 5 }]) {
      schedule(step.atMs, { t: "cp", to: e.name, state: step.state, duty: step.duty, scripted: true });
    }
    untilMs = Math.max(untilMs, evseNoParmBoundMs(evses[e.name]!.config.slacInitMs) * 2);
  }
  for (const e of o.evs) {
    evs[e.name] = initialEvSlac(e.config);
    const c = evs[e.name]!.config;
    const s = add(e.name, "ev", c.mac, c.modem === "qca");
    if (e.plugInto !== undefined) {
      if (!o.evses.some((x) => x.name === e.plugInto)) {
        throw new SlacConfigError(`ev "${e.name}".plugInto = "${e.plugInto}" is not allowed: no such EVSE`);
      }
      s.plugInto = e.plugInto;
    }
    if (e.startAtMs !== undefined) schedule(e.startAtMs, { t: "start", to: e.name });
    else if (s.plugInto !== undefined) s.startOn5 = true;
    else schedule(0, { t: "start", to: e.name });
    untilMs = Math.max(untilMs, (e.startAtMs ?? 0) + 2 * evSlacBoundMs(c));
  }
  for (const l of o.links ?? []) medium.setLink(l.a, l.b, l.link);
  if (o.untilMs !== undefined) untilMs = o.untilMs;

  const now = () => clock.now();
  const evseCp = (evseName: string, state: CpState, duty: number) =>
    schedule(now() + cpDelay, { t: "cp", to: evseName, state, duty });

  const apply = (s: Station, fx: SlacEffect[]) => {
    const rep = reports[s.name]!;
    for (const e of fx) {
      switch (e.kind) {
        case "send": {
          const bytes = encodeSlacFrame(e.frame);
          const wire = decodeSlacFrame(bytes);
          rep.sent.push({ atMs: now(), kind: wire.mme.kind, bytes: bytes.length, frame: wire });
          for (const d of medium.transmit(s.name, e.frame, now())) {
            schedule(d.atMs, { t: "frame", to: d.to, frame: d.frame, atten: d.attenuationDb });
            const rx = st.get(d.to)!;
            if (rx.qca && rx.role === "evse" && d.frame.mme.kind === "CM_MNBC_SOUND.IND") {
              const ind = attenProfileInd(rx.modemMac, rx.mac, d.frame.src, Uint8Array.from(d.attenuationDb));
              schedule(d.atMs + modemLatency, { t: "frame", to: d.to, frame: roundTrip(ind) });
            }
          }
          break;
        }
        case "set-timer":
          s.timers.set(e.id, schedule(e.atMs, { t: "timer", to: s.name, id: e.id }));
          break;
        case "clear-timer": {
          const h = s.timers.get(e.id);
          if (h !== undefined) clock.clearTimeout(h);
          s.timers.delete(e.id);
          break;
        }
        case "set-key": {
          if (!s.qca) break;
          const req = roundTrip(setKeyReqFrame(s.mac, s.modemMac, e.nmk, e.nid));
          if (req.mme.kind !== "CM_SET_KEY.REQ") throw new Error("CM_SET_KEY.REQ did not round-trip");
          s.modemNmk = Uint8Array.from(req.mme.newKey);
          s.linked = false;
          schedule(now() + modemLatency, {
            t: "frame",
            to: s.name,
            frame: roundTrip(setKeyCnfFrame(s.modemMac, s.mac)),
          });
          checkLinks();
          break;
        }
        case "cp": {
          rep.cpActions.push({ atMs: now(), action: e.action });
          const b = s.plugState;
          if (e.action === "ef") s.cp = { state: "F", duty: 0 };
          else if (e.action === "resume") s.cp = { state: b, duty: 5 };
          else s.cp = { state: b, duty: 100 };
          evseCp(s.name, s.cp.state, s.cp.duty);
          break;
        }
        case "s2": {
          s.s2 = e.closed;
          const evse = s.plugInto ? st.get(s.plugInto) : undefined;
          if (evse && evse.plugState !== "A") evse.plugState = e.closed ? "C" : "B";
          if (evse && evse.cp.state !== "A" && evse.cp.state !== "E" && evse.cp.state !== "F") {
            evse.cp = { state: evse.plugState, duty: evse.cp.duty };
            evseCp(evse.name, evse.cp.state, evse.cp.duty);
          }
          break;
        }
        case "matched":
          rep.outcome = { kind: "matched", atMs: now(), nmk: e.nmk, nid: e.nid, peerMac: e.peerMac };
          break;
        case "failed":
          rep.outcome = { kind: "failed", atMs: now(), reason: e.reason };
          break;
        case "log":
          rep.logs.push(`${now()} ${e.level} ${e.msg}`);
          break;
      }
    }
  };

  const checkLinks = () => {
    for (const a of st.values()) {
      if (a.role !== "ev" || !a.qca || a.linked || !a.modemNmk) continue;
      for (const b of st.values()) {
        if (b.role !== "evse" || !b.qca || !b.modemNmk || !bytesEqual(a.modemNmk, b.modemNmk)) continue;
        if (!medium.link(a.name, b.name)) continue;
        a.linked = true;
        b.linked = true;
        for (const x of [a, b]) schedule(now() + joinDelay, { t: "modem", to: x.name, ev: "link", up: true });
      }
    }
  };

  const step = (s: Station, item: Item) => {
    const t = now();
    const ev =
      item.t === "frame"
        ? {
            kind: "frame" as const,
            frame: item.frame,
            tMs: t,
            ...(s.qca ? {} : { attenuationDb: item.atten }),
          }
        : item.t === "timer"
          ? { kind: "timer" as const, id: item.id, tMs: t }
          : item.t === "modem"
            ? { kind: "modem" as const, ev: item.ev, up: item.up, tMs: t }
            : item.t === "start"
              ? { kind: "start" as const, tMs: t }
              : { kind: "cp" as const, state: item.state, duty: item.duty, tMs: t };
    if (s.role === "ev") {
      if (ev.kind === "cp") return;
      const [next, fx] = evSlacStep(evs[s.name]!, ev);
      evs[s.name] = next;
      apply(s, fx);
    } else {
      if (ev.kind === "start") return;
      if (ev.kind === "cp") {
        s.cp = { state: ev.state, duty: ev.duty };
        if (item.t === "cp" && item.scripted) s.plugState = ev.state;
        if (ev.duty === 5) {
          for (const x of st.values()) {
            if (x.plugInto === s.name && x.startOn5 && !x.started) {
              x.started = true;
              schedule(t, { t: "start", to: x.name });
            }
          }
        }
      }
      const [next, fx] = evseSlacStep(evses[s.name]!, ev);
      evses[s.name] = next;
      apply(s, fx);
    }
  };

  function deliver(item: Item): void {
    const s = st.get(item.to)!;
    if (item.t === "timer") s.timers.delete(item.id);
    step(s, item);
  }

  let events = 0;
  const allDone = () => Object.values(reports).every((r) => r.outcome !== undefined);
  while (!allDone()) {
    const t = clock.peekTime();
    if (t === undefined || t > untilMs || events >= maxEvents) break;
    clock.runNext();
    events++;
  }
  return {
    endMs: now(),
    events,
    exhausted: !allDone(),
    stations: reports,
    medium,
    ev: evs,
    evse: evses,
  };
}
