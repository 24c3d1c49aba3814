/**
 * `nacs evse --ocpp URL`: the live charger as an OCPP 2.0.1 charging station or 1.6J charge point, the same
 * station and glue as `nacs simulate --ocpp` (src/link/ocpp/evse-glue.ts) on a view of the live EVSE
 * controller: the pilot (plug-in: CP state B, C or D; unplugged: A), the meter and output of its
 * measurements, PowerDelivery Start (charging), the end of the session and its cause. The station's
 * commands (authorisation, stop, power limit) go to the controller as operator inputs do. Observed every
 * {@link EVSE_OCPP_OBSERVE_MS} of wall time.
 */
import type { EvseDcState } from "../../evse/dc/index.js";
import type { EvseInput, LiveEvse } from "../../link/host/live-evse.js";
import { createOcppEvseGlue, type OcppEvseGlue, type OcppEvseView } from "../../link/ocpp/evse-glue.js";
import type { SchemaFailure } from "../../link/ocpp/station-client.js";
import type { StopCause } from "../../ocpp/index.js";
import { defaultSeccReadings, type SeccReadings } from "../../v2g/index.js";
import type { OcppFlags } from "../commands/ocpp-options.js";
import {
  type ChargerStation,
  type ChargerStationHost,
  startChargerStation,
} from "../commands/ocpp-station.js";

/**
 * How often the live charger is observed for OCPP (ms, wall). Design choice: twice a second — a plug-in is
 * authorised within half a second (the SECC answers Ongoing meanwhile); each observation steps the station
 * machine, which with 1,000 chargers on one host is most of its OCPP cost (bench ocpp-fleet).
 */
export const EVSE_OCPP_OBSERVE_MS = 500;
/** At exit, wait at most this long (wall) for the queued messages to reach the CSMS. */
export const EVSE_OCPP_DRAIN_MS = 10_000;
/** The driver's token when none is given (an RFID card, ISO14443). */
export const EVSE_OCPP_ID_TOKEN = "NACS-EVSE-0001";

/** The SECC readings of a charger with a CSMS: EIM authorisation waits for the CSMS (OCPP 2.0.1 C01, F01). */
export function ocppSeccReadings(): SeccReadings {
  return { ...defaultSeccReadings(), authorization: "pending" };
}

/** What `nacs evse --ocpp` reports at exit. */
export interface EvseOcppReport {
  url: string;
  identity: string;
  version: "2.0.1" | "1.6";
  transactions: string[];
  sent: Record<string, number>;
  received: Record<string, number>;
  schemaFailures: SchemaFailure[];
  undelivered: number;
}

/** The OCPP side of a running `nacs evse`. */
export interface EvseOcpp {
  /** The last observation (an open transaction is ended), wait for delivery, close. */
  finish(): Promise<EvseOcppReport>;
}

/** Why the live session ended, as the station's StopCause. */
export function liveStopCause(s: EvseDcState): StopCause {
  const trip = s.safety.trip;
  if (trip) return { kind: "trip", fault: trip.fault, reason: trip.detail };
  if (s.stopReason === "EV ended the session") return { kind: "ev", reason: s.stopReason };
  if (s.stopReason) return { kind: "evse", reason: s.stopReason };
  return s.cp === "A" ? { kind: "unplugged" } : { kind: "time-limit" };
}

/**
 * A view maker over the live controller's state: the plug-in follows the pilot (A: unplugged; B, C, D:
 * plugged; E and F — the EVSE's own fault states — keep what was last seen), and a session is over once it
 * has run (SLAC, SDP or the V2G session seen since the plug-in) and is back to ended or idle with the
 * output below 1 A.
 */
export function createLiveEvseView(): (s: EvseDcState, socPercent: number | null) => OcppEvseView {
  let plugged = false;
  let ran = false;
  return (s, soc) => {
    if (s.cp === "A") plugged = false;
    else if (s.cp === "B" || s.cp === "C" || s.cp === "D") {
      if (!plugged) ran = false;
      plugged = true;
    }
    if (s.phase === "slac" || s.phase === "sdp" || s.phase === "session") ran = true;
    const { voltageV, currentA, energyWh } = s.meas;
    return {
      plugged,
      energyWh,
      powerW: voltageV * currentA,
      ...(soc !== null && { socPercent: soc }),
      charging: s.secc.powerDelivery === "start" && s.phase === "session",
      over: ran && (s.phase === "ended" || s.phase === "idle") && Math.abs(currentA) < 1,
      stopCause: () => liveStopCause(s),
      contract: s.secc.payment?.contract,
      payment: s.secc.payment?.option,
      certificateRequest: s.secc.certForward,
    };
  };
}

/** Connect the live charger to the CSMS of `--ocpp` and observe it. Throws OcppLinkError. */
export async function startEvseOcpp(
  o: OcppFlags & { ocpp: string },
  live: LiveEvse,
  log: (level: "debug" | "info" | "warn" | "error", msg: string) => void,
  more: Partial<Pick<ChargerStationHost, "onRoundTrip" | "serialNumber">> & {
    /** The charger offers Plug & Charge (`--pki`): contracts are authorised with the CSMS (C07). */
    pnc?: boolean;
    /** `--ocpp-v2g-pki`: the SECC certificate store (A02 / A03, M06). */
    certificates?: ChargerStationHost["certificates"];
  } = {},
): Promise<EvseOcpp> {
  const station: ChargerStation = await startChargerStation(o, {
    model: "nacs-evse",
    serialNumber: more.serialNumber ?? `EVSE-${process.pid}`,
    now: () => Date.now(),
    toEvse: (c) => live.push(c as EvseInput),
    log,
    ...(more.onRoundTrip && { onRoundTrip: more.onRoundTrip }),
    ...(more.certificates && { certificates: more.certificates }),
  });
  const glue: OcppEvseGlue = createOcppEvseGlue(station.station, {
    remoteStart: o.ocppRemoteStart === true,
    pnc: more.pnc === true,
    idToken: { idToken: o.ocppIdToken ?? EVSE_OCPP_ID_TOKEN, type: "ISO14443" },
    authorizationPending: () => live.push({ kind: "authorization", result: "pending" }),
  });
  const viewOf = createLiveEvseView();
  const view = () => viewOf(live.host.state(), live.progress()?.socPercent ?? null);
  const timer = setInterval(() => glue.observe(view(), Date.now()), EVSE_OCPP_OBSERVE_MS);
  return {
    async finish() {
      clearInterval(timer);
      glue.finish(view(), Date.now());
      await station.station.drain(EVSE_OCPP_DRAIN_MS);
      const undelivered = station.station.state.outbox.length;
      await station.station.close();
      return {
        url: o.ocpp,
        identity: station.identity,
        version: station.version,
        transactions: [...glue.transactions],
        sent: station.sent,
        received: station.received,
        schemaFailures: [...station.station.schemaFailures],
        undelivered,
      };
    },
  };
}

/** The exit lines of `nacs evse --ocpp` (stderr): what was sent and delivered, every schema failure. */
export function formatEvseOcppReport(r: EvseOcppReport): string {
  const sent = Object.values(r.sent).reduce((a, b) => a + b, 0);
  const lines = [
    `nacs evse: OCPP ${r.version} ${r.url}: transactions ${r.transactions.join(", ") || "none"}; sent ${sent} calls, answered ${Object.values(r.received).reduce((a, b) => a + b, 0)} CSMS requests, undelivered ${r.undelivered}, schema failures ${r.schemaFailures.length}`,
    ...r.schemaFailures.map((f) => `nacs evse: OCPP schema failure: ${JSON.stringify(f)}`),
  ];
  return `${lines.join("\n")}\n`;
}
