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
import { createOcppEvseGlue, type OcppEvseView } from "../../link/ocpp/evse-glue.js";
import type { SchemaFailure } from "../../link/ocpp/station-client.js";
import type { StopCause } from "../../ocpp/index.js";
import type { DcSession } from "../../sim/dc/session.js";
import { defaultSeccReadings } from "../../v2g/index.js";
import type { OcppFlags } from "./ocpp-options.js";
import { OCPP_BOOT_WAIT_MS, OCPP_METER_INTERVAL_S, startChargerStation } from "./ocpp-station.js";
import { contractPayment } from "./simulate-options.js";

/** Default periodic meter values during a transaction (s of session time). */
export const SIM_OCPP_METER_INTERVAL_S = OCPP_METER_INTERVAL_S;
/** The driver's token when none is given (an RFID card, ISO14443). */
export const SIM_OCPP_ID_TOKEN = "NACS-SIM-0001";
/** Before the session, wait at most this long (wall) for the CSMS to accept the BootNotification. */
export const SIM_OCPP_BOOT_WAIT_MS = OCPP_BOOT_WAIT_MS;
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
  o: OcppFlags & { ocpp: string; seed: number; payment?: string | undefined; fault?: string | undefined },
  session: DcSession,
): Promise<SimOcpp> {
  const sim = session.sim;
  const epochMs = Date.now();
  const now = () => epochMs + sim.nowMs;
  const { station, identity, version, sent, received } = await startChargerStation(o, {
    model: "nacs-simulate",
    serialNumber: `SIM-${o.seed}`,
    now,
    toEvse: (c) => sim.ctl.toEvse({ ...c, tMs: sim.nowMs }),
    log: (level, msg) => sim.record("log", { side: "ocpp", level, msg }),
    onQueueWarning: (msg) => {
      process.stderr.write(`nacs simulate: warning: ${msg}\n`);
      sim.record("log", { side: "ocpp", level: "warn", msg });
    },
  });
  const glue = createOcppEvseGlue(station, {
    remoteStart: o.ocppRemoteStart === true,
    pnc: contractPayment(o),
    idToken: { idToken: o.ocppIdToken ?? SIM_OCPP_ID_TOKEN, type: "ISO14443" },
    authorizationPending: () => sim.ctl.toEvse({ kind: "authorization", result: "pending", tMs: sim.nowMs }),
  });
  const view = (): OcppEvseView => {
    const c = sim.ctl;
    return {
      plugged: sim.cable.plugged,
      energyWh: sim.path.energyWh,
      powerW: sim.powerW,
      socPercent: sim.soc,
      charging: c.evse.secc.powerDelivery === "start" && c.evse.phase === "session",
      over: (session.done || c.evse.phase === "ended") && sim.currentA === 0,
      stopCause: () => stopCause(session),
      contract: c.evse.secc.payment?.contract,
      payment: c.evse.secc.payment?.option,
      certificateRequest: c.evse.secc.certForward,
    };
  };
  const observe = () => glue.observe(view(), now());
  return {
    tick: observe,
    async finish() {
      glue.finish(view(), now());
      await station.drain(SIM_OCPP_DRAIN_MS);
      const undelivered = station.state.outbox.length;
      await station.close();
      return {
        url: o.ocpp,
        identity,
        version,
        transactions: [...glue.transactions],
        sent,
        received,
        schemaFailures: [...station.schemaFailures],
        undelivered,
      };
    },
  };
}
