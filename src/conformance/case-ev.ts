/**
 * The tester's EV for a case (pure): DC or AC (ISO 15118-2 AC: ChargeParameterDiscovery with
 * AC_EVChargeParameter, ChargingStatus loop), and for ISO 15118-20 the energy service it selects (ISO
 * 15118-20 Table 204) and its control mode (ISO 15118-20 ServiceDetail parameter ControlMode), and the request that makes its charge
 * loop. Whether the SUT offers what a case needs (profile `energy`, `iso20`).
 */
import type {
  CaseEnergy,
  ConformanceCase,
  ConformanceProtocol,
  Iso20Control,
  Iso20Service,
  SutProfile,
} from "./types.js";

/** The energy transfer of a case: its `ev.energy`, else that of its -20 service, else DC. */
export function caseEnergy(c: Pick<ConformanceCase, "ev">): CaseEnergy {
  return c.ev?.energy ?? (c.ev?.service?.startsWith("ac") ? "ac" : "dc");
}

/** The ISO 15118-20 service of a case: its `ev.service`, else the plain service of its energy transfer. */
export function caseService(c: Pick<ConformanceCase, "ev">): Iso20Service {
  return c.ev?.service ?? caseEnergy(c);
}

/** The ISO 15118-20 control mode of a case (default scheduled). */
export function caseControl(c: Pick<ConformanceCase, "ev">): Iso20Control {
  return c.ev?.control ?? "scheduled";
}

/**
 * The request of the charge loop: DIN 70121 / ISO 15118-2 DC CurrentDemandReq, ISO 15118-2 AC
 * ChargingStatusReq, ISO 15118-20 DC_ChargeLoopReq / AC_ChargeLoopReq.
 */
export function chargeLoopRequest(protocol: ConformanceProtocol, energy: CaseEnergy): string {
  if (protocol === "iso20") return energy === "ac" ? "AC_ChargeLoopReq" : "DC_ChargeLoopReq";
  return energy === "ac" ? "ChargingStatusReq" : "CurrentDemandReq";
}

/** The EV controller's options for a case on `protocol` (what `nacs ev --mode/--service/--control` sets). */
export function evOptionsOf(
  c: Pick<ConformanceCase, "ev">,
  protocol: ConformanceProtocol,
): { energy: CaseEnergy; iso20ControlMode?: Iso20Control; bidirectional: boolean } {
  const bpt = protocol === "iso20" && caseService(c).endsWith("-bpt");
  return {
    energy: caseEnergy(c),
    ...(protocol === "iso20" && { iso20ControlMode: caseControl(c) }),
    bidirectional: bpt,
  };
}

/**
 * Why a case is not run against a SUT with this profile (it does not offer what the case needs), or null:
 * an AC case needs `energy` with ac (DIN 70121 is DC only), a receipt case `receipts`, a -20 case the
 * service and control mode among the profile's `iso20` (absent: the plain service of each energy transfer,
 * both control modes).
 */
export function unofferedBy(c: ConformanceCase, p: SutProfile, protocol: ConformanceProtocol): string | null {
  // below V2G (SLAC, SDP): every SUT; the session after it runs with what the SUT offers (RunnerOptions.energy)
  if (c.protocolNeutral) return null;
  const energy = caseEnergy(c);
  const offered = p.energy ?? ["dc"];
  if (!offered.includes(energy)) return `the SUT does not offer ${energy.toUpperCase()} (profile energy)`;
  if (c.needsReceipts && !p.receipts)
    return "the SUT does not ask for metering receipts (profile receipts: ISO 15118-2 ReceiptRequired)";
  if (protocol !== "iso20") return null;
  const services = p.iso20?.services ?? [...offered];
  const controls = p.iso20?.controls ?? ["scheduled", "dynamic"];
  const service = caseService(c);
  if (!services.includes(service))
    return `the SUT does not offer the ISO 15118-20 service ${service} (profile iso20.services)`;
  if (!controls.includes(caseControl(c)))
    return `the SUT does not offer the ${caseControl(c)} control mode (profile iso20.controls)`;
  return null;
}
