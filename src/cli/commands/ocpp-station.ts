/**
 * The charger's OCPP station as `--ocpp` starts it on every host (`nacs simulate`, `nacs evse`): the station
 * configuration from the OCPP flags, the offline queue on disk (`--ocpp-queue`), the connection to the CSMS
 * (security profile 1 with `--ocpp-password`), the count of calls each way, and the wait for the
 * BootNotification to be accepted (B01) before the charger takes EVs.
 */
import { readFileSync } from "node:fs";
import { openOcppJournal } from "../../link/ocpp/journal.js";
import {
  type OcppStation,
  type OcppStationOptions,
  startOcppStation,
} from "../../link/ocpp/station-client.js";
import { splitCsmsUrl } from "../../link/ocpp/url.js";
import type { EvseCommand, StationConfig } from "../../ocpp/index.js";
import { UsageError } from "../errors.js";
import type { OcppFlags } from "./ocpp-options.js";

/** Default periodic meter values during a transaction (s). Design choice. */
export const OCPP_METER_INTERVAL_S = 60;
/** Before the first session, wait at most this long (wall) for the CSMS to accept the BootNotification. */
export const OCPP_BOOT_WAIT_MS = 10_000;

/** A connected (or, with the queue on disk, offline) station and its tallies. */
export interface ChargerStation {
  station: OcppStation;
  identity: string;
  version: "2.0.1" | "1.6";
  /** Calls the station sent, by action. */
  sent: Record<string, number>;
  /** CSMS requests the station answered, by action. */
  received: Record<string, number>;
}

/** Who the charger is, its OCPP clock, and where its logs and the station's commands go. */
export interface ChargerStationHost {
  model: string;
  serialNumber: string;
  /** OCPP clock (ms since the epoch). */
  now(): number;
  toEvse(c: EvseCommand): void;
  log(level: "debug" | "info" | "warn" | "error", msg: string): void;
  /** A damaged line of the queue on disk was skipped (default: logged as a warning). */
  onQueueWarning?(msg: string): void;
  /** Every call of the station answered: its action and the round trip (CALL sent → answer received, ms). */
  onRoundTrip?(action: string, ms: number): void;
  /** The SECC certificate store the station manages (OCPP 2.0.1 A02 / A03, M06). */
  certificates?: OcppStationOptions["certificates"];
}

/** Connect the charger to the CSMS of `--ocpp`. Throws OcppLinkError (cannot connect, no queue on disk). */
export async function startChargerStation(
  o: OcppFlags & { ocpp: string },
  host: ChargerStationHost,
): Promise<ChargerStation> {
  const { identity } = splitCsmsUrl(o.ocpp);
  const config: StationConfig = {
    chargingStation: { vendorName: "nacs", model: host.model, serialNumber: host.serialNumber.slice(0, 25) },
    evseId: 1,
    connectorId: 1,
    txUpdatedIntervalS: o.ocppMeterInterval ?? OCPP_METER_INTERVAL_S,
    heartbeatIntervalS: 300,
    bootRetryS: 10,
    transactionPrefix: `${identity}-${host.now().toString(36)}`.slice(0, 30),
    offlineTxForUnknownIdEnabled: o.ocppOfflineAuth === "accept",
  };
  const sent: Record<string, number> = {};
  const received: Record<string, number> = {};
  const inFlight: number[] = [];
  const version = o.ocppVersion ?? "2.0.1";
  const journal =
    o.ocppQueue === undefined
      ? undefined
      : openOcppJournal(o.ocppQueue, host.onQueueWarning ?? ((msg) => host.log("warn", msg)));
  const read = (flag: string, path: string | undefined) => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      throw new UsageError(`option ${flag} ${path}: ${(e as Error).message}`, flag, { cause: e });
    }
  };
  const tls = o.ocpp.startsWith("wss://")
    ? {
        ...(o.ocppCa !== undefined && { caPem: read("--ocpp-ca", o.ocppCa) }),
        ...(o.ocppCert !== undefined && { certPem: read("--ocpp-cert", o.ocppCert) }),
        ...(o.ocppKey !== undefined && { keyPem: read("--ocpp-key", o.ocppKey) }),
      }
    : undefined;
  const station = await startOcppStation({
    ...(tls && { tls }),
    // with the queue on disk, a CSMS unreachable at start is an outage like any other
    ...(journal && { journal, offlineStart: true }),
    url: o.ocpp,
    version,
    config,
    ...(host.certificates && { certificates: host.certificates }),
    now: host.now,
    ...(o.ocppPassword !== undefined && { password: o.ocppPassword }),
    onEvse: (c) => {
      host.log("info", `EVSE ${c.kind} ${JSON.stringify(c)}`);
      host.toEvse(c);
    },
    onLog: (level, msg) => host.log(level as "info", msg),
    onWire: (m) => {
      // the station has one call in flight at a time (OCPP-J §4.1.1): the answer is to the oldest sent
      if (m.kind !== "call") {
        if (m.dir === "rx") {
          const at = inFlight.shift();
          if (at !== undefined) host.onRoundTrip?.(m.action, performance.now() - at);
        }
        return;
      }
      if (m.dir === "tx") inFlight.push(performance.now());
      const bag = m.dir === "tx" ? sent : received;
      bag[m.action] = (bag[m.action] ?? 0) + 1;
    },
  });
  // the charger takes EVs once it is registered (B01)
  if (!station.state.online) host.log("warn", "CSMS unreachable: starting offline");
  else if (!(await station.registered(OCPP_BOOT_WAIT_MS)))
    host.log("warn", "BootNotification not accepted: starting offline");
  return { station, identity, version, sent, received };
}
