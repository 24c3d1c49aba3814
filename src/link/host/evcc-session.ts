/**
 * Host of one EVCC session: the pure EVCC machine on a connection to an SECC, with the
 * battery model of {@link EvPlant} advanced by real time × timeScale, and the round trip of every request
 * measured (request written → response received). The machine's per-message timeouts run in real time.
 * Simulated pilot: the EV is plugged into a charger showing 5 %; S2 commands only change the
 * model (AC: the on-board charger draws only with S2 closed).
 */

import type { Clock } from "../../machine/index.js";
import {
  createEvcc,
  defaultEvccReadings,
  type EvccConfig,
  type EvccControl,
  type EvccEffect,
  type EvccEvent,
  type EvccReadings,
  type EvccState,
  stepEvcc,
} from "../../v2g/index.js";
import type { LinkLogger } from "../logger.js";
import type { V2gConnection } from "../types.js";
import { EvPlant, type EvPlantOptions } from "./plants.js";
import { SessionDriver } from "./session-driver.js";
import { type ChargeMode, ResponseSamples, type SessionSummary, sessionSummary } from "./summary.js";
import type { HostWireTap } from "./wire-tap.js";

/** Options of {@link runEvccSession}. */
export interface EvccSessionOptions {
  mode: ChargeMode;
  /** Machine configuration (its `readings` are built from `readings` and the battery model). */
  config?: Partial<Omit<EvccConfig, "readings">>;
  /** Fixed BMS figures over the defaults (e.g. `fullSocPercent`, the target SOC). */
  readings?: Partial<EvccReadings>;
  plant: Omit<EvPlantOptions, "ac">;
  timers?: Clock;
  logger?: LinkLogger;
  onEffect?: (f: EvccEffect, tMs: number) => void;
  /** Wire tap: every V2GTP message sent / received, connection open and close (`--pcap`). */
  tap?: HostWireTap;
}

/** A running EVCC session. */
export interface EvccSession {
  readonly conn: V2gConnection;
  readonly done: Promise<SessionSummary>;
  control(c: EvccControl): void;
  state(): EvccState;
}

/** Energy transfer mode the EV requests for `mode` (J3400 AC is single phase). */
export function evccEnergyMode(mode: ChargeMode): EvccConfig["mode"] {
  return mode === "dc" ? "DC_extended" : "AC_single_phase_core";
}

/** Run the EVCC machine on `conn` (already connected) until the connection closes. */
export function runEvccSession(conn: V2gConnection, o: EvccSessionOptions): EvccSession {
  const ac = o.mode === "ac";
  const plant = new EvPlant({ ac, ...o.plant }, 0);
  const b = plant.battery.p;
  const cfg: Partial<EvccConfig> = {
    mode: evccEnergyMode(o.mode),
    ...o.config,
    readings: {
      ...defaultEvccReadings(),
      capacityWh: b.capacityWh,
      maxCurrentA: b.maxCurrentA,
      maxVoltageV: b.maxVoltageV,
      maxPowerW: b.maxPowerW,
      targetVoltageV: b.maxVoltageV,
      ...o.readings,
      ...plant.readings(),
    },
  };
  const socStart = plant.battery.socPercent;
  const rt = new ResponseSamples();
  let sentAt: { name: string; tMs: number } | null = null;
  const d = new SessionDriver<EvccState, EvccEvent, EvccEffect>(
    createEvcc(cfg, 0),
    conn,
    {
      step: stepEvcc,
      before: (s, tMs) => {
        plant.seeEvse({
          presentVoltageV: s.evse.presentVoltageV,
          presentCurrentA: s.evse.presentCurrentA,
          acNominalVoltageV: s.evse.acNominalVoltageV,
          acMaxCurrentA: s.evse.acMaxCurrentA,
        });
        plant.advance(tMs);
        return { kind: "port", readings: plant.readings(), tMs };
      },
      sent: (name, tMs) => {
        sentAt = { name, tMs };
      },
      received: (rxMs) => {
        if (!sentAt) return;
        rt.add(sentAt.name.replace(/Req$/, "Res"), rxMs - sentAt.tMs);
        sentAt = null;
      },
      effect: (f, tMs) => {
        if (f.kind === "port-command") plant.command(f.command, tMs);
        o.onEffect?.(f, tMs);
      },
    },
    {
      ...(o.timers ? { timers: o.timers } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.tap ? { tap: o.tap } : {}),
    },
  );
  d.push({ kind: "connected", tMs: d.now() });

  const done = d.done.then((end): SessionSummary => {
    const s = d.current();
    plant.advance(end.durationMs);
    return {
      ...sessionSummary("evcc", conn, s.protocol, o.mode, end, plant.energyWh, rt),
      socStartPercent: socStart,
      socEndPercent: plant.battery.socPercent,
    };
  });
  return {
    conn,
    done,
    control: (c) => d.push({ kind: "control", control: c, tMs: d.now() }),
    state: () => d.current(),
  };
}
