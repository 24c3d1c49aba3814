/**
 * What the OCPP 1.6J charge point does with each CALL of the CSMS: RemoteStartTransaction (OCPP 1.6 §5.11),
 * RemoteStopTransaction (§5.12), ChangeConfiguration (§5.3) / GetConfiguration (§5.8) of the §9.1 Core and
 * §9.4 Smart Charging keys, Reset (§5.14), TriggerMessage (§5.17), SetChargingProfile (§5.16) /
 * ClearChargingProfile (§5.5). Every request is answered in the same step. Pure code.
 */

import type { StationEffect } from "../types.js";
import { profileProblem16, toProfile201 } from "./profiles.js";
import {
  applyLimit16,
  enqueue16,
  type StationState16,
  sendMeterValues16,
  setStatus16,
  startTx16,
  txContext16,
} from "./state.js";
import type { ChargingProfile16 } from "./types.js";

/** The CSMS-initiated messages this charge point implements (others: NotImplemented by the port). */
export const STATION_ACTIONS_16 = [
  "RemoteStartTransaction",
  "RemoteStopTransaction",
  "ChangeConfiguration",
  "GetConfiguration",
  "Reset",
  "TriggerMessage",
  "SetChargingProfile",
  "ClearChargingProfile",
] as const;

type Payload = Record<string, unknown>;

/** The session's stop reason after an accepted RemoteStopTransaction (our text; OCPP: Remote). */
export const REMOTE_STOP_REASON_16 = "remote stop (CSMS RemoteStopTransaction)";
/** The session's stop reason after a Reset during a transaction (our text). */
export const RESET_STOP_REASON_16 = "reset (CSMS Reset)";

/** A configuration key (§9): read, and set (absent: read-only). */
interface Key {
  get(s: StationState16): string;
  set?(s: StationState16, v: string): StationState16 | null;
}

function seconds(v: string, min: number): number | null {
  if (!/^\d{1,6}$/.test(v.trim())) return null;
  const n = Number(v);
  return n >= min && n <= 86_400 ? n : null;
}

const KEYS: Record<string, Key> = {
  HeartbeatInterval: {
    get: (s) => String(s.heartbeatIntervalS),
    set: (s, v) => {
      const n = seconds(v, 1);
      return n === null ? null : { ...s, heartbeatIntervalS: n };
    },
  },
  MeterValueSampleInterval: {
    get: (s) => String(s.cfg.txUpdatedIntervalS),
    set: (s, v) => {
      const n = seconds(v, 0);
      return n === null ? null : { ...s, cfg: { ...s.cfg, txUpdatedIntervalS: n } };
    },
  },
  MeterValuesSampledData: { get: () => "Energy.Active.Import.Register,Power.Active.Import,SoC" },
  StopTxnSampledData: { get: () => "Energy.Active.Import.Register,Power.Active.Import,SoC" },
  NumberOfConnectors: { get: () => "1" },
  AuthorizeRemoteTxRequests: { get: () => "false" },
  SupportedFeatureProfiles: { get: () => "Core,SmartCharging" },
  ChargeProfileMaxStackLevel: { get: () => "99" },
  ChargingScheduleAllowedChargingRateUnit: { get: () => "Current,Power" },
  ChargingScheduleMaxPeriods: { get: () => "24" },
  MaxChargingProfilesInstalled: { get: () => "10" },
};

/** Handle one CSMS request (schema-valid: the port validated it). */
export function onRequest16(
  s: StationState16,
  reqId: string,
  action: string,
  p: Payload,
  fx: StationEffect[],
): StationState16 {
  const reply = (payload: Payload) => fx.push({ kind: "reply", reqId, payload });
  switch (action) {
    case "RemoteStartTransaction":
      return remoteStart(s, p, reply, fx);
    case "RemoteStopTransaction": {
      if (!s.tx || s.tx.transactionId !== p.transactionId) {
        reply({ status: "Rejected" });
        return s;
      }
      reply({ status: "Accepted" });
      fx.push({ kind: "evse", command: { kind: "stop-charging", reason: REMOTE_STOP_REASON_16 } });
      fx.push({ kind: "log", level: "info", msg: `RemoteStopTransaction ${p.transactionId}: stopping` });
      return { ...s, tx: { ...s.tx, remoteStop: true } };
    }
    case "ChangeConfiguration": {
      const k = KEYS[String(p.key)];
      if (!k) {
        reply({ status: "NotSupported" });
        return s;
      }
      const next = k.set?.(s, String(p.value)) ?? null;
      reply({ status: next ? "Accepted" : "Rejected" });
      if (!next)
        fx.push({
          kind: "log",
          level: "warn",
          msg: `ChangeConfiguration ${p.key}=${p.value}: read-only or out of range`,
        });
      return next ?? s;
    }
    case "GetConfiguration": {
      const asked = (p.key as string[] | undefined) ?? Object.keys(KEYS);
      reply({
        configurationKey: asked
          .filter((x) => KEYS[x])
          .map((x) => ({ key: x, readonly: KEYS[x]!.set === undefined, value: KEYS[x]!.get(s) })),
        unknownKey: asked.filter((x) => !KEYS[x]),
      });
      return s;
    }
    case "Reset": {
      const type = p.type === "Hard" ? "Hard" : "Soft";
      reply({ status: "Accepted" });
      if (!s.tx) return reboot16(s, fx);
      // §5.14: a transaction running is stopped first (reason HardReset / SoftReset)
      fx.push({ kind: "evse", command: { kind: "stop-charging", reason: RESET_STOP_REASON_16 } });
      return { ...s, resetPending: type, tx: { ...s.tx, resetStop: type } };
    }
    case "TriggerMessage":
      return trigger(s, String(p.requestedMessage), reply, fx);
    case "SetChargingProfile":
      return setProfile(s, Number(p.connectorId), p.csChargingProfiles as ChargingProfile16, reply, fx);
    case "ClearChargingProfile":
      return clearProfiles(s, p, reply, fx);
    default:
      reply({ status: "Rejected" });
      fx.push({ kind: "log", level: "warn", msg: `request ${action}: not implemented` });
      return s;
  }
}

/**
 * §5.11: with AuthorizeRemoteTxRequests false the idTag is taken as authorised: the transaction starts now
 * (cable plugged) or at the plug-in; a TxProfile in the request is installed for it.
 */
function remoteStart(
  s0: StationState16,
  p: Payload,
  reply: (p: Payload) => void,
  fx: StationEffect[],
): StationState16 {
  if ((p.connectorId !== undefined && p.connectorId !== s0.cfg.connectorId) || s0.tx) {
    reply({ status: "Rejected" });
    return s0;
  }
  reply({ status: "Accepted" });
  fx.push({ kind: "evse", command: { kind: "authorization", result: "accepted" } });
  let s: StationState16 = s0;
  const profile = p.chargingProfile as ChargingProfile16 | undefined;
  if (profile?.chargingProfilePurpose === "TxProfile")
    s = {
      ...s,
      pendingTxProfile: {
        evseId: s.cfg.connectorId,
        receivedMs: s.nowMs,
        profile: toProfile201(profile, s.cfg.nominalVoltageV),
      },
    };
  const idTag = String(p.idTag);
  return s.plugged ? startTx16(s, idTag, fx) : { ...s, authorizedTag: idTag };
}

/** §5.16: install the profile if it fits (a profile of the same id, or purpose and stackLevel, replaced). */
function setProfile(
  s: StationState16,
  connectorId: number,
  p: ChargingProfile16,
  reply: (p: Payload) => void,
  fx: StationEffect[],
): StationState16 {
  const problem = profileProblem16(connectorId, p, s.cfg.connectorId, txContext16(s), s.cfg.nominalVoltageV);
  if (problem) {
    reply({ status: "Rejected" });
    fx.push({
      kind: "log",
      level: "warn",
      msg: `SetChargingProfile ${p.chargingProfileId} rejected: ${problem}`,
    });
    return s;
  }
  reply({ status: "Accepted" });
  const profile = toProfile201(p, s.cfg.nominalVoltageV);
  const kept = s.profiles.filter(
    (x) =>
      x.profile.id !== profile.id &&
      !(
        x.evseId === connectorId &&
        x.profile.chargingProfilePurpose === profile.chargingProfilePurpose &&
        x.profile.stackLevel === profile.stackLevel
      ),
  );
  return applyLimit16(
    { ...s, profiles: [...kept, { evseId: connectorId, receivedMs: s.nowMs, profile }] },
    fx,
  );
}

const PURPOSE_201: Record<string, string> = {
  ChargePointMaxProfile: "ChargingStationMaxProfile",
  TxDefaultProfile: "TxDefaultProfile",
  TxProfile: "TxProfile",
};

/** §5.5: remove by id, or by connectorId / purpose / stackLevel; Unknown when nothing matched. */
function clearProfiles(s: StationState16, p: Payload, reply: (p: Payload) => void, fx: StationEffect[]) {
  const id = p.id as number | undefined;
  const match = (x: StationState16["profiles"][number]) =>
    id !== undefined
      ? x.profile.id === id
      : (p.connectorId === undefined || x.evseId === p.connectorId) &&
        (p.chargingProfilePurpose === undefined ||
          x.profile.chargingProfilePurpose === PURPOSE_201[String(p.chargingProfilePurpose)]) &&
        (p.stackLevel === undefined || x.profile.stackLevel === p.stackLevel);
  const kept = s.profiles.filter((x) => !match(x));
  if (kept.length === s.profiles.length) {
    reply({ status: "Unknown" });
    return s;
  }
  reply({ status: "Accepted" });
  return applyLimit16({ ...s, profiles: kept }, fx);
}

/** §5.17: the requested message is sent after the reply. */
function trigger(s: StationState16, what: string, reply: (p: Payload) => void, fx: StationEffect[]) {
  switch (what) {
    case "BootNotification":
      reply({ status: "Accepted" });
      return enqueue16(
        s,
        "BootNotification",
        {
          chargePointVendor: s.cfg.chargingStation.vendorName,
          chargePointModel: s.cfg.chargingStation.model,
        },
        fx,
      )[0];
    case "Heartbeat":
      reply({ status: "Accepted" });
      return enqueue16(s, "Heartbeat", {}, fx)[0];
    case "StatusNotification":
      reply({ status: "Accepted" });
      return setStatus16(s, s.status, fx, s.errorCode, true);
    case "MeterValues":
      reply({ status: "Accepted" });
      return sendMeterValues16(s, "Trigger", fx);
    default:
      reply({ status: "NotImplemented" });
      return s;
  }
}

/** The charge point starts again: BootNotification anew (§5.14); profiles and queued calls kept. */
export function reboot16(s: StationState16, fx: StationEffect[]): StationState16 {
  fx.push({ kind: "log", level: "info", msg: "reset: booting again" });
  return enqueue16(
    { ...s, registration: "none", resetPending: null },
    "BootNotification",
    {
      chargePointVendor: s.cfg.chargingStation.vendorName,
      chargePointModel: s.cfg.chargingStation.model,
      ...(s.cfg.chargingStation.serialNumber !== undefined && {
        chargePointSerialNumber: s.cfg.chargingStation.serialNumber,
      }),
    },
    fx,
    { first: true },
  )[0];
}
