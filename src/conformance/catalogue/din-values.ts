/**
 * SECC under test, DIN 70121 DC: value errors. A mode the SECC did not offer → FAILED_WrongEnergyTransferType
 * (the EV may ask only DC_core / DC_extended, [V2G-DC-625]); parameters it cannot use →
 * FAILED_WrongChargeParameter ([V2G-DC-341]); a ServiceID not offered → FAILED_ServiceIDInvalid /
 * FAILED_ServiceSelectionInvalid; payment other than ExternalPayment is refused ([V2G-DC-252]). An EV target above the
 * EVSE's maximum is not an error: the SECC limits its output and says so with EVSECurrentLimitAchieved /
 * EVSEVoltageLimitAchieved in CurrentDemandRes (DIN 70121 CurrentDemandRes), and the session goes on.
 */
import type { ConformanceCase } from "../types.js";
import { answered, at, failedThenClose, pv, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("din", "value", x);

export const DIN_VALUES: readonly ConformanceCase[] = [
  c({
    id: "secc-din-value-001",
    title: "EVRequestedEnergyTransferType DC_core (not offered) → FAILED_WrongEnergyTransferType",
    requirement: ["DIN 70121 ResponseCode FAILED_WrongEnergyTransferType", "DIN 70121 [V2G-DC-625]"],
    tester: {
      kind: "mutate",
      at: at("ChargeParameterDiscoveryReq"),
      set: { EVRequestedEnergyTransferType: "DC_core" },
    },
    expect: failedThenClose("ChargeParameterDiscoveryRes", ["FAILED_WrongEnergyTransferType"]),
  }),
  c({
    id: "secc-din-value-002",
    title:
      "EVRequestedEnergyTransferType AC_three_phase_core (not a DIN mode) → FAILED_WrongEnergyTransferType",
    requirement: ["DIN 70121 [V2G-DC-625]"],
    tester: {
      kind: "mutate",
      at: at("ChargeParameterDiscoveryReq"),
      set: { EVRequestedEnergyTransferType: "AC_three_phase_core" },
    },
    expect: failedThenClose("ChargeParameterDiscoveryRes", ["FAILED_WrongEnergyTransferType"]),
  }),
  c({
    id: "secc-din-value-003",
    title:
      "EVTargetCurrent far above the EVSE maximum: answered OK with EVSECurrentLimitAchieved, not refused",
    requirement: ["DIN 70121 CurrentDemandRes EVSECurrentLimitAchieved"],
    tester: { kind: "mutate", at: at("CurrentDemandReq", 2), set: { EVTargetCurrent: pv(3000, "A") } },
    expect: answered("CurrentDemandRes", ["OK"], [{ path: "EVSECurrentLimitAchieved", oneOf: [true] }]),
  }),
  c({
    id: "secc-din-value-004",
    title: "EVTargetVoltage above the EVSE maximum: answered OK with EVSEVoltageLimitAchieved, not refused",
    requirement: ["DIN 70121 CurrentDemandRes EVSEVoltageLimitAchieved"],
    tester: { kind: "mutate", at: at("CurrentDemandReq", 2), set: { EVTargetVoltage: pv(1500, "V") } },
    expect: answered("CurrentDemandRes", ["OK"], [{ path: "EVSEVoltageLimitAchieved", oneOf: [true] }]),
  }),
  c({
    id: "secc-din-value-005",
    title:
      "PreCharge EVTargetVoltage above the EV's own EVMaximumVoltageLimit: refused, or its answer shows no voltage above the EV maximum",
    requirement: [
      "DIN 70121 ResponseCode FAILED_WrongChargeParameter",
      "DIN 70121 ChargeParameterDiscoveryReq EVMaximumVoltageLimit",
    ],
    tester: { kind: "mutate", at: at("PreChargeReq"), set: { EVTargetVoltage: pv(990, "V") } },
    expect: {
      kind: "response",
      response: "PreChargeRes",
      codes: ["OK", "FAILED_WrongChargeParameter"],
      fields: [{ path: "EVSEPresentVoltage", atMost: 940 }],
      continues: true,
    },
  }),
  c({
    id: "secc-din-value-006",
    title: "ServiceDetailReq with a ServiceID never offered → FAILED_ServiceIDInvalid",
    requirement: ["DIN 70121 ResponseCode FAILED_ServiceIDInvalid"],
    tester: {
      kind: "inject",
      at: at("ServicePaymentSelectionReq"),
      message: "ServiceDetailReq",
      body: { ServiceID: 9999 },
    },
    expect: failedThenClose("ServiceDetailRes", ["FAILED_ServiceIDInvalid"]),
  }),
  c({
    id: "secc-din-value-007",
    title:
      "ServicePaymentSelectionReq selecting the charge service and ServiceID 9999 (never offered) → FAILED_ServiceSelectionInvalid",
    requirement: ["DIN 70121 ResponseCode FAILED_ServiceSelectionInvalid"],
    tester: {
      kind: "mutate",
      at: at("ServicePaymentSelectionReq"),
      set: { "SelectedServiceList.SelectedService": [{ ServiceID: 1 }, { ServiceID: 9999 }] },
    },
    expect: failedThenClose("ServicePaymentSelectionRes", ["FAILED_ServiceSelectionInvalid"]),
  }),
  c({
    id: "secc-din-value-008",
    title: "SelectedPaymentOption Contract (DIN: ExternalPayment only) → FAILED_PaymentSelectionInvalid",
    requirement: ["DIN 70121 [V2G-DC-252]"],
    tester: {
      kind: "mutate",
      at: at("ServicePaymentSelectionReq"),
      set: { SelectedPaymentOption: "Contract" },
    },
    expect: failedThenClose("ServicePaymentSelectionRes", ["FAILED_PaymentSelectionInvalid"]),
  }),
  c({
    id: "secc-din-value-009",
    title: "EVMaximumVoltageLimit 50 V, below any DC charger's minimum → FAILED_WrongChargeParameter",
    requirement: ["DIN 70121 ResponseCode FAILED_WrongChargeParameter", "DIN 70121 [V2G-DC-341]"],
    tester: {
      kind: "mutate",
      at: at("ChargeParameterDiscoveryReq"),
      set: { "DC_EVChargeParameter.EVMaximumVoltageLimit": pv(50, "V") },
    },
    expect: failedThenClose("ChargeParameterDiscoveryRes", ["FAILED_WrongChargeParameter"]),
  }),
];
