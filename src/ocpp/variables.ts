/**
 * The station's small device model for GetVariables / SetVariables (OCPP 2.0.1 Part 2 use cases B06 / B05,
 * component and variable names of the Part 2 "referenced components and variables" appendix): the
 * heartbeat interval and the transaction meter interval can be set; a few read-only facts can be read.
 * Pure code.
 */
import type { StationState } from "./station-state.js";

type Payload = Record<string, unknown>;
type Ref = {
  component: { name: string; instance?: string; evse?: unknown };
  variable: { name: string; instance?: string };
};

/** A variable: how to read it, and how to set it (absent: read-only). */
interface Variable {
  get(s: StationState): string;
  set?(s: StationState, value: string): StationState | { reasonCode: string; text: string };
}

/** An integer of seconds in [min, max], or the rule it breaks. */
function seconds(value: string, min: number, max: number): number | { reasonCode: string; text: string } {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    return { reasonCode: "ValueOutOfRange", text: `must be an integer ${min}–${max} (s)` };
  return n;
}

const VARIABLES: Record<string, Variable> = {
  "OCPPCommCtrlr.HeartbeatInterval": {
    get: (s) => String(s.heartbeatIntervalS),
    set: (s, v) => {
      const n = seconds(v, 1, 86_400);
      return typeof n === "number" ? { ...s, heartbeatIntervalS: n } : n;
    },
  },
  "SampledDataCtrlr.TxUpdatedInterval": {
    get: (s) => String(s.cfg.txUpdatedIntervalS),
    set: (s, v) => {
      const n = seconds(v, 0, 86_400);
      return typeof n === "number" ? { ...s, cfg: { ...s.cfg, txUpdatedIntervalS: n } } : n;
    },
  },
  "SampledDataCtrlr.TxUpdatedMeasurands": {
    get: () => "Energy.Active.Import.Register,Power.Active.Import,SoC",
  },
  "AuthCtrlr.AuthorizeRemoteStart": { get: () => "false" },
  /**
   * nacs's own variable (OCPP 2.0.1 allows custom ones): renew the SECC's V2G certificate on its own (A02)
   * when it ends within this many days; 0 = only on TriggerMessage SignV2GCertificate.
   */
  "ISO15118Ctrlr.V2GCertificateRenewBeforeDays": {
    get: (s) => String(s.cfg.v2gRenewBeforeDays ?? 0),
    set: (s, v) => {
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n > 365)
        return { reasonCode: "ValueOutOfRange", text: "must be an integer 0–365 (days)" };
      return { ...s, cfg: { ...s.cfg, v2gRenewBeforeDays: n } };
    },
  },
  "SmartChargingCtrlr.Enabled": { get: () => "true" },
};

function key(r: Ref): string {
  return `${r.component.name}.${r.variable.name}`;
}

/**
 * The variable a Get/SetVariables item names, with the item's echo fields; or the answer refusing it
 * (UnknownComponent / UnknownVariable, or NotSupportedAttributeType: only Actual is kept).
 */
function findVariable(
  r: Ref & { attributeType?: string },
): { base: Payload; variable: (typeof VARIABLES)[string] } | { refused: Payload } {
  const base = {
    component: r.component,
    variable: r.variable,
    ...(r.attributeType && { attributeType: r.attributeType }),
  };
  const variable = VARIABLES[key(r)];
  if (!variable)
    return {
      refused: {
        ...base,
        attributeStatus: Object.keys(VARIABLES).some((k) => k.startsWith(`${r.component.name}.`))
          ? "UnknownVariable"
          : "UnknownComponent",
      },
    };
  if ((r.attributeType ?? "Actual") !== "Actual")
    return { refused: { ...base, attributeStatus: "NotSupportedAttributeType" } };
  return { base, variable };
}

/** B06: read each requested variable (Actual only). */
export function getVariables(s: StationState, p: Payload): Payload {
  const items = p.getVariableData as (Ref & { attributeType?: string })[];
  return {
    getVariableResult: items.map((r) => {
      const f = findVariable(r);
      return "refused" in f
        ? f.refused
        : { ...f.base, attributeStatus: "Accepted", attributeValue: f.variable.get(s) };
    }),
  };
}

/** B05: set each variable in turn; a read-only one is Rejected, a bad value names the rule. */
export function setVariables(s0: StationState, p: Payload): [StationState, Payload] {
  let s = s0;
  const items = p.setVariableData as (Ref & { attributeType?: string; attributeValue: string })[];
  const results = items.map((r) => {
    const f = findVariable(r);
    if ("refused" in f) return f.refused;
    const { base, variable: v } = f;
    if (!v.set)
      return { ...base, attributeStatus: "Rejected", attributeStatusInfo: { reasonCode: "ReadOnly" } };
    const out = v.set(s, r.attributeValue);
    if ("reasonCode" in out)
      return {
        ...base,
        attributeStatus: "Rejected",
        attributeStatusInfo: { reasonCode: out.reasonCode, additionalInfo: `${key(r)} ${out.text}` },
      };
    s = out;
    return { ...base, attributeStatus: "Accepted" };
  });
  return [s, { setVariableResult: results }];
}
