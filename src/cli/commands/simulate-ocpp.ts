/**
 * `nacs simulate --ocpp URL [--ocpp-version 1.6]`: the simulated charger as an OCPP 2.0.1 charging station
 * (src/ocpp) or an OCPP 1.6J charge point (src/ocpp/v16), through the src/link/ocpp port. The session is paced (wall clock × `--speed`, default 1) because a CSMS answers in
 * wall time. The OCPP clock is the wall-clock time at the start of the run plus the session's virtual
 * elapsed time, so timestamps are real at `--speed 1` and compressed in proportion above it.
 * After every paced step the EVSE is observed (cable, meter, charging state, the end of the session) and
 * the station's commands go back to the EVSE controller at the session's current virtual time.
 * With `--ocpp-queue DIR` (2.0.1) the transaction events are journalled on disk (src/link/ocpp/journal.ts),
 * restored on the next start, and a CSMS unreachable at start is an outage: the session runs, a token
 * presented offline is accepted or rejected by `--ocpp-offline-auth` (C15).
 */

import type { EvseDcConfig } from "../../evse/dc/index.js";
import { openOcppJournal } from "../../link/ocpp/journal.js";
import type { SchemaFailure } from "../../link/ocpp/station-client.js";
import { startOcppStation } from "../../link/ocpp/station-client.js";
import { splitCsmsUrl } from "../../link/ocpp/url.js";
import type { StationConfig, StationEvent, StopCause } from "../../ocpp/index.js";
import type { DcSession } from "../../sim/dc/session.js";
import { defaultSeccReadings } from "../../v2g/index.js";
import type { OcppFlags } from "./ocpp-options.js";

/** Default periodic meter values during a transaction (s of session time). Design choice. */
export const SIM_OCPP_METER_INTERVAL_S = 60;
/** The driver's token when none is given (an RFID card, ISO14443). */
export const SIM_OCPP_ID_TOKEN = "NACS-SIM-0001";
/** Before the session, wait at most this long (wall) for the CSMS to accept the BootNotification. */
export const SIM_OCPP_BOOT_WAIT_MS = 10_000;
/** After the session, wait at most this long (wall) for the queued messages to reach the CSMS. */
export const SIM_OCPP_DRAIN_MS = 10_000;

/** What the `--json` summary says of OCPP (field `ocpp`). */
export interface SimOcppReport {
  url: string;
  identity: string;
  /** The OCPP version spoken (`--ocpp-version`). */
  version: "2.0.1" | "1.6";
  transactions: string[];
  /** Calls the station sent, by action. */
  sent: Record<string, number>;
  /** CSMS requests the station answered, by action. */
  received: Record<string, number>;
  schemaFailures: SchemaFailure[];
  /** Messages still queued when the run ended (not delivered). */
  undelivered: number;
}

/** The running OCPP side of a simulated session. */
export interface SimOcpp {
  /** Observe the session after a paced step (and tell the station the time). */
  tick(): void;
  /** After the session: the last events, wait for delivery, close. */
  finish(): Promise<SimOcppReport>;
}

/** The EVSE configuration of a session with a CSMS: EIM authorisation waits for the CSMS (C01, F01). */
export function ocppEvseConfig(): Partial<EvseDcConfig> {
  return { secc: { readings: { ...defaultSeccReadings(), authorization: "pending" } } };
}

/** Why the session ended, as the station's StopCause. */
function stopCause(session: DcSession): StopCause {
  const sim = session.sim;
  const trip = sim.trips[0];
  const evStop = sim.evStops[0];
  if (trip && (!evStop || trip.detectedAtMs <= evStop.tMs))
    return { kind: "trip", fault: trip.fault, reason: trip.reason };
  if (evStop) return { kind: "ev", reason: evStop.reason };
  const r = sim.ctl.evse.stopReason;
  if (r) return { kind: "evse", reason: r };
  return session.done && !sim.cable.plugged ? { kind: "unplugged" } : { kind: "time-limit" };
}

/** Connect the session's charger to the CSMS of `--ocpp`. Throws OcppLinkError (cannot connect). */
export async function startSimOcpp(
  o: OcppFlags & { ocpp: string; seed: number },
  session: DcSession,
): Promise<SimOcpp> {
  const { identity } = splitCsmsUrl(o.ocpp);
  const sim = session.sim;
  const epochMs = Date.now();
  const now = () => epochMs + sim.nowMs;
  const config: StationConfig = {
    chargingStation: {
      vendorName: "nacs",
      model: "nacs-simulate",
      serialNumber: `SIM-${o.seed}`.slice(0, 25),
    },
    evseId: 1,
    connectorId: 1,
    txUpdatedIntervalS: o.ocppMeterInterval ?? SIM_OCPP_METER_INTERVAL_S,
    heartbeatIntervalS: 300,
    bootRetryS: 10,
    transactionPrefix: `${identity}-${epochMs.toString(36)}`.slice(0, 30),
    offlineTxForUnknownIdEnabled: o.ocppOfflineAuth === "accept",
  };
  const sent: Record<string, number> = {};
  const received: Record<string, number> = {};
  const version = o.ocppVersion ?? "2.0.1";
  const journal =
    o.ocppQueue === undefined
      ? undefined
      : openOcppJournal(o.ocppQueue, (msg) => {
          process.stderr.write(`nacs simulate: warning: ${msg}\n`);
          sim.record("log", { side: "ocpp", level: "warn", msg });
        });
  const station = await startOcppStation({
    // with the queue on disk, a CSMS unreachable at start is an outage like any other
    ...(journal && { journal, offlineStart: true }),
    url: o.ocpp,
    version,
    config,
    now,
    ...(o.ocppPassword !== undefined && { password: o.ocppPassword }),
    onEvse: (c) => {
      sim.record("log", { side: "ocpp", level: "info", msg: `EVSE ${c.kind} ${JSON.stringify(c)}` });
      sim.ctl.toEvse({ ...c, tMs: sim.nowMs });
    },
    onLog: (level, msg) => sim.record("log", { side: "ocpp", level, msg }),
    onWire: (m) => {
      if (m.kind !== "call") return;
      const bag = m.dir === "tx" ? sent : received;
      bag[m.action] = (bag[m.action] ?? 0) + 1;
    },
  });
  // the charger takes EVs once it is registered (B01): the session's clock starts after that
  if (!station.state.online)
    sim.record("log", { side: "ocpp", level: "warn", msg: "CSMS unreachable: starting offline" });
  else if (!(await station.registered(SIM_OCPP_BOOT_WAIT_MS)))
    sim.record("log", {
      side: "ocpp",
      level: "warn",
      msg: "BootNotification not accepted: starting offline",
    });
  const push = (ev: StationEvent) => station.push(ev);
  let plugged = false;
  let charging = false;
  let ended = false;
  const transactions = new Set<string>();
  const observe = () => {
    const t = now();
    const c = sim.ctl;
    if (sim.cable.plugged !== plugged) {
      plugged = sim.cable.plugged;
      // each plug-in waits for its own authorisation, unless a remote start already gave it (F02)
      if (plugged && !station.state.tx?.authorized)
        sim.ctl.toEvse({ kind: "authorization", result: "pending", tMs: sim.nowMs });
      push({ kind: plugged ? "plugged" : "unplugged", tMs: t });
      // the driver presents the card at plug-in (C01); the SECC answers Ongoing until the CSMS accepted it.
      // With --ocpp-remote-start the driver starts from an app instead: the CSMS's RequestStartTransaction.
      if (plugged) {
        ended = false;
        if (!o.ocppRemoteStart)
          push({
            kind: "id-token",
            idToken: { idToken: o.ocppIdToken ?? SIM_OCPP_ID_TOKEN, type: "ISO14443" },
            tMs: t,
          });
      }
    }
    push({
      kind: "meter",
      reading: { energyWh: sim.path.energyWh, powerW: sim.powerW, socPercent: sim.soc },
      tMs: t,
    });
    const on = c.evse.secc.powerDelivery === "start" && c.evse.phase === "session";
    if (on !== charging && !ended) {
      charging = on;
      push({ kind: "charging", state: on ? "Charging" : "EVConnected", tMs: t });
    }
    const tx = station.state.tx;
    // 1.6: the CSMS's transactionId, once StartTransaction.conf gave it
    if (tx && tx.transactionId !== null) transactions.add(String(tx.transactionId));
    if (!ended && (session.done || c.evse.phase === "ended") && sim.currentA === 0 && station.state.tx) {
      ended = true;
      push({ kind: "session-end", cause: stopCause(session), tMs: t });
    }
    push({ kind: "tick", tMs: t });
  };
  return {
    tick: observe,
    async finish() {
      observe();
      if (station.state.tx) push({ kind: "session-end", cause: stopCause(session), tMs: now() });
      await station.drain(SIM_OCPP_DRAIN_MS);
      const undelivered = station.state.outbox.length;
      await station.close();
      return {
        url: o.ocpp,
        identity,
        version,
        transactions: [...transactions],
        sent,
        received,
        schemaFailures: [...station.schemaFailures],
        undelivered,
      };
    },
  };
}
