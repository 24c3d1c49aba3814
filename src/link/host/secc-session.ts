/**
 * Host of one SECC session: the pure SECC machine on one accepted connection, with the DC
 * plant / isolation monitor (or AC meter) of {@link SeccPlant} advanced by real time, a simulated pilot,
 * and response-time measurement (request fully received → response written to the socket).
 *
 * Simulated pilot (`cp: "sim"`, default until a pilot driver exists): a vehicle is plugged in
 * (state B) when the connection arrives; the EV is taken to close S2 (state C) once charge parameters are
 * agreed (ChargeParameterDiscoveryRes sent: DC CableCheck and AC contactor closing need C), and back to B
 * at the end of the session.
 */

import type { Clock } from "../../machine/index.js";
import {
  createSecc,
  type SeccConfig,
  type SeccControl,
  type SeccEffect,
  type SeccEvent,
  type SeccState,
  stepSecc,
} from "../../v2g/index.js";
import type { LinkLogger } from "../logger.js";
import type { V2gConnection } from "../types.js";
import { SeccPlant, type SeccPlantOptions } from "./plants.js";
import { SessionDriver } from "./session-driver.js";
import { type ChargeMode, ResponseSamples, type SessionSummary, sessionSummary } from "./summary.js";
import type { HostWireTap } from "./wire-tap.js";

/** Options of {@link runSeccSession}. */
export interface SeccSessionOptions {
  mode: ChargeMode;
  config?: Partial<SeccConfig>;
  plant?: Omit<SeccPlantOptions, "ac">;
  /** Pilot: "sim" (default) simulates a plugged-in vehicle; "none" sends no CP events. */
  cp?: "sim" | "none";
  timers?: Clock;
  logger?: LinkLogger;
  /** Called with each effect after the host handled it (observers, dashboard). */
  onEffect?: (f: SeccEffect, tMs: number) => void;
  /** Wire tap: every V2GTP message sent / received, connection open and close (`--pcap`). */
  tap?: HostWireTap;
}

/** A running SECC session. */
export interface SeccSession {
  readonly conn: V2gConnection;
  readonly done: Promise<SessionSummary>;
  control(c: SeccControl): void;
  state(): SeccState;
}

/** Energy transfer modes the SECC offers for `mode`. */
export function seccEnergyModes(mode: ChargeMode): SeccConfig["energyModes"] {
  return mode === "dc" ? ["DC_extended", "DC_core"] : ["AC_single_phase_core", "AC_three_phase_core"];
}

/** Run the SECC machine on `conn` until the connection closes. */
export function runSeccSession(conn: V2gConnection, o: SeccSessionOptions): SeccSession {
  const ac = o.mode === "ac";
  const cfg: Partial<SeccConfig> = {
    energyModes: seccEnergyModes(o.mode),
    epochS: Math.floor(Date.now() / 1000),
    seed: (Math.random() * 2 ** 32) >>> 0,
    ...o.config,
  };
  const cpSim = (o.cp ?? "sim") === "sim";
  const rt = new ResponseSamples();
  let evOn = false;
  let plant: SeccPlant;
  const d = new SessionDriver<SeccState, SeccEvent, SeccEffect>(
    createSecc(cfg, 0),
    conn,
    {
      step: stepSecc,
      before: (_s, tMs) => {
        plant.advance(tMs);
        return { kind: "port", readings: plant.readings(), tMs };
      },
      sent: (name, tMs) => {
        rt.add(name, tMs - d.lastRxMs);
        const s = d.current();
        if (name === "ChargeParameterDiscoveryRes" && cpSim && s.cp !== "C")
          d.push({ kind: "cp", state: "C", tMs });
        else if ((name === "CurrentDemandRes" || name === "ChargingStatusRes") && !evOn) {
          evOn = true;
          plant.phases = s.ev.mode === "AC_three_phase_core" ? 3 : 1;
          plant.evConnected(
            true,
            s.ev.socPercent,
            tMs,
            Math.min(s.ev.maxCurrentA, s.readings.ac.maxCurrentA),
          );
        } else if (name === "PowerDeliveryRes" && evOn) {
          evOn = false;
          plant.evConnected(false, s.ev.socPercent, tMs);
        }
      },
      effect: (f, tMs) => {
        if (f.kind === "port-command") plant.command(f.command, tMs);
        else if (f.kind === "session-end" && cpSim) d.push({ kind: "cp", state: "B", tMs });
        o.onEffect?.(f, tMs);
      },
    },
    {
      ...(o.timers ? { timers: o.timers } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.tap ? { tap: o.tap } : {}),
    },
  );
  plant = new SeccPlant({ ac, ...o.plant }, 0);
  plant.nominalV = d.current().readings.ac.nominalVoltageV;
  const t = d.now();
  d.push({ kind: "connected", tMs: t });
  if (cpSim) d.push({ kind: "cp", state: "B", tMs: t });

  const done = d.done.then((end): SessionSummary => {
    const s = d.current();
    return sessionSummary("secc", conn, s.protocol, o.mode, end, plant.energyWh, rt);
  });
  return {
    conn,
    done,
    control: (c) => d.push({ kind: "control", control: c, tMs: d.now() }),
    state: () => d.current(),
  };
}
