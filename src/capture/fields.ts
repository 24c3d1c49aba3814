/**
 * Key fields of decoded messages, with units, for the timeline: physical values
 * (DIN/ISO-2 PhysicalValueType: Value × 10^Multiplier with Unit; ISO 15118-20 RationalNumberType:
 * Value × 10^Exponent, unit from the field name), state-of-charge, response codes and the few enumerations
 * that tell the session's story. Pure code.
 */
import { physicalValueToNumber, rationalToNumber } from "../codecs/index.js";
import { bytesToHex } from "./keylog.js";

/** The message body of a decoded V2G event: DIN/ISO-2 `Body.<type>`, otherwise the document value. */
export function messageBody(type: string, message: unknown): Record<string, unknown> | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const body = (message as { Body?: Record<string, unknown> }).Body;
  if (body && typeof body === "object" && type in body) return body[type] as Record<string, unknown>;
  return message as Record<string, unknown>;
}

/** True for a DIN/ISO-2 PhysicalValueType-shaped object. */
export function isPhysicalValue(v: unknown): v is { Multiplier: number; Value: number; Unit?: string } {
  return typeof v === "object" && v !== null && "Multiplier" in v && "Value" in v;
}

/** True for an ISO 15118-20 RationalNumberType-shaped object. */
export function isRational(v: unknown): v is { Exponent: number; Value: number } {
  return typeof v === "object" && v !== null && "Exponent" in v && "Value" in v && !("Multiplier" in v);
}

/** Unit symbols of DIN/ISO-2 unitSymbolType (EcoG-io/iso15118 datatypes). */
const UNIT_SYMBOLS: Readonly<Record<string, string>> = {
  h: "h",
  m: "m",
  s: "s",
  A: "A",
  V: "V",
  W: "W",
  Wh: "Wh",
};

/** Unit of a value from its field name, for ISO 15118-20 (which has no unit field) and unit-less DIN values. */
export function unitFromName(name: string): string {
  if (/Energy|MeterReading|EAmount/i.test(name)) return "Wh";
  if (/Power/i.test(name)) return "W";
  if (/Current/i.test(name)) return "A";
  if (/Voltage/i.test(name)) return "V";
  if (/Time|Delay/i.test(name)) return "s";
  if (/SOC/i.test(name)) return "%";
  return "";
}

/** Numeric value and unit of a physical/rational value, or undefined. */
export function physicalOf(name: string, v: unknown): { value: number; unit: string } | undefined {
  if (isPhysicalValue(v)) {
    const u = v.Unit !== undefined ? (UNIT_SYMBOLS[v.Unit] ?? v.Unit) : unitFromName(name);
    return { value: physicalValueToNumber(v), unit: u };
  }
  if (isRational(v)) return { value: rationalToNumber(v), unit: unitFromName(name) };
  return undefined;
}

const SCALAR_KEYS = new Set([
  "ResponseCode",
  "EVSEProcessing",
  "ChargeProgress",
  "ChargingSession",
  "SelectedPaymentOption",
  "RequestedEnergyTransferMode",
  "EVRequestedEnergyTransferType",
  "SelectedEnergyTransferService",
  "EVSEIsolationStatus",
  "ReadyToChargeState",
  "ChargingComplete",
  "BulkChargingComplete",
  "EVCCID",
  "EVSEID",
  "SchemaID",
  "EVProcessing",
  "CertificateUpdateSupported",
]);
/** Scalars shown only when they carry news (not their normal value). */
const UNUSUAL: Readonly<Record<string, string>> = {
  EVErrorCode: "NO_ERROR",
  EVSENotification: "None",
  DC_EVSEStatusCode: "EVSE_Ready",
  EVSEStatusCode: "EVSE_Ready",
};
const SOC_KEYS = new Set(["EVRESSSOC", "PresentSOC", "SOC"]);

function fmtNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 1000) / 1000);
}

function wantValue(type: string, name: string): boolean {
  if (/ChargeParameterDiscovery|ServiceDetail|ScheduleExchange/.test(type)) return true;
  return /Target|Present|Meter|EVSEMaxCurrent|EAmount|EVMaxCurrent|EVMaxVoltage/.test(name);
}

/**
 * The key fields of a V2G message body as `Name=value unit` strings, in document order, e.g.
 * `EVTargetCurrent=125 A`, `SOC=56 %`, `ResponseCode=OK`.
 */
export function keyFields(type: string, body: unknown, max = 12): string[] {
  const out: string[] = [];
  const walk = (name: string, v: unknown, depth: number): void => {
    if (out.length >= max || v === undefined || v === null) return;
    if (SOC_KEYS.has(name) && typeof v === "number") {
      out.push(`SOC=${v} %`);
      return;
    }
    const pv = physicalOf(name, v);
    if (pv) {
      if (wantValue(type, name)) out.push(`${name}=${fmtNumber(pv.value)}${pv.unit ? ` ${pv.unit}` : ""}`);
      return;
    }
    if (name === "AppProtocol" && Array.isArray(v)) {
      for (const a of v as { ProtocolNamespace?: string; SchemaID?: number; VersionNumberMajor?: number }[]) {
        out.push(`${a.ProtocolNamespace}(v${a.VersionNumberMajor},id ${a.SchemaID})`);
      }
      return;
    }
    if (v instanceof Uint8Array) {
      if (SCALAR_KEYS.has(name) || name === "SessionID") out.push(`${name}=${bytesToHex(v)}`);
      return;
    }
    if (typeof v !== "object") {
      if (SCALAR_KEYS.has(name) || (name in UNUSUAL && UNUSUAL[name] !== v)) out.push(`${name}=${String(v)}`);
      return;
    }
    if (depth >= 4) return;
    if (Array.isArray(v)) {
      if (v.length > 0) walk(name, v[0], depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === "Header" || k === "Signature" || k === "SAScheduleList" || k === "SAScheduleTuple") continue;
      walk(k, x, depth + 1);
    }
  };
  walk("", body, 0);
  return out;
}

/** Key fields of an SDP or SLAC message. */
export function keyFieldsOther(type: string, message: unknown): string[] {
  if (typeof message !== "object" || message === null) return [];
  const m = message as Record<string, unknown>;
  if (type === "SdpRes") {
    const sec = m.security === 0x00 ? "TLS" : "none";
    return [`address=${String(m.address)}`, `port=${String(m.port)}`, `security=${sec}`];
  }
  if (type === "SdpReq") return [`security=${m.security === 0x00 ? "TLS" : "none"}`];
  const out: string[] = [];
  if (typeof m.src === "string") out.push(`src=${m.src}`);
  for (const k of ["resType", "result", "numSounds", "numGroups", "timeOut", "respType", "count"]) {
    if (typeof m[k] === "number") out.push(`${k}=${m[k]}`);
  }
  if (m.runId instanceof Uint8Array) out.push(`runId=${bytesToHex(m.runId)}`);
  if (m.nid instanceof Uint8Array) out.push(`nid=${bytesToHex(m.nid)}`);
  return out;
}
