/**
 * SECC under test, ISO 15118-2 DC: value errors. A mode the SECC did not offer → FAILED_WrongEnergyTransferMode
 * ([V2G2-476]); parameters that do not fit the mode → FAILED_WrongChargeParameter ([V2G2-477]); a ServiceID
 * not offered → FAILED_ServiceIDInvalid ([V2G2-425]) / FAILED_ServiceSelectionInvalid. An EV target above the
 * EVSE's maximum is not an error: the SECC limits its output and says so with EVSECurrentLimitAchieved /
 * EVSEVoltageLimitAchieved in CurrentDemandRes (ISO 15118-2 CurrentDemandRes), and the session goes on.
 */
import type { ConformanceCase } from "../types.js";
import { answered, at, failedThenClose, pv, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso2", "value", x);

export const ISO2_VALUES: readonly ConformanceCase[] = [
  c({
    id: "secc-iso2-value-001",
    title: "RequestedEnergyTransferMode DC_core (not offered) → FAILED_WrongEnergyTransferMode",
    requirement: ["[V2G2-476]"],
    tester: {
      kind: "mutate",
      at: at("ChargeParameterDiscoveryReq"),
      set: { RequestedEnergyTransferMode: "DC_core" },
    },
    expect: failedThenClose("ChargeParameterDiscoveryRes", ["FAILED_WrongEnergyTransferMode"]),
  }),
  c({
    id: "secc-iso2-value-002",
    title: "RequestedEnergyTransferMode AC_three_phase_core at a DC SECC → FAILED_WrongEnergyTransferMode",
    requirement: ["[V2G2-476]", "[V2G2-477]"],
    tester: {
      kind: "mutate",
      at: at("ChargeParameterDiscoveryReq"),
      set: { RequestedEnergyTransferMode: "AC_three_phase_core" },
    },
    expect: failedThenClose("ChargeParameterDiscoveryRes", [
      "FAILED_WrongEnergyTransferMode",
      "FAILED_WrongChargeParameter",
    ]),
  }),
  c({
    id: "secc-iso2-value-003",
    title:
      "EVTargetCurrent far above the EVSE maximum: answered OK with EVSECurrentLimitAchieved, not refused",
    requirement: ["ISO 15118-2 CurrentDemandRes EVSECurrentLimitAchieved"],
    tester: { kind: "mutate", at: at("CurrentDemandReq", 2), set: { EVTargetCurrent: pv(3000, "A") } },
    expect: answered("CurrentDemandRes", ["OK"], [{ path: "EVSECurrentLimitAchieved", oneOf: [true] }]),
  }),
  c({
    id: "secc-iso2-value-004",
    title: "EVTargetVoltage above the EVSE maximum: answered OK with EVSEVoltageLimitAchieved, not refused",
    requirement: ["ISO 15118-2 CurrentDemandRes EVSEVoltageLimitAchieved"],
    tester: { kind: "mutate", at: at("CurrentDemandReq", 2), set: { EVTargetVoltage: pv(1500, "V") } },
    expect: answered("CurrentDemandRes", ["OK"], [{ path: "EVSEVoltageLimitAchieved", oneOf: [true] }]),
  }),
  c({
    id: "secc-iso2-value-005",
    title:
      "PreCharge EVTargetVoltage above the EV's own EVMaximumVoltageLimit: refused, or its answer shows no voltage above the EV maximum",
    requirement: [
      "ISO 15118-2 ResponseCode FAILED_WrongChargeParameter",
      "ISO 15118-2 ChargeParameterDiscoveryReq EVMaximumVoltageLimit",
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
    id: "secc-iso2-value-006",
    title: "ServiceDetailReq with a ServiceID never offered → FAILED_ServiceIDInvalid",
    requirement: ["[V2G2-425]"],
    tester: {
      kind: "inject",
      at: at("PaymentServiceSelectionReq"),
      message: "ServiceDetailReq",
      body: { ServiceID: 9999 },
    },
    expect: failedThenClose("ServiceDetailRes", ["FAILED_ServiceIDInvalid"]),
  }),
  c({
    id: "secc-iso2-value-007",
    title:
      "PaymentServiceSelectionReq selecting the charge service and ServiceID 9999 (never offered) → FAILED_ServiceSelectionInvalid",
    requirement: ["ISO 15118-2 ResponseCode FAILED_ServiceSelectionInvalid"],
    tester: {
      kind: "mutate",
      at: at("PaymentServiceSelectionReq"),
      set: { "SelectedServiceList.SelectedService": [{ ServiceID: 1 }, { ServiceID: 9999 }] },
    },
    expect: failedThenClose("PaymentServiceSelectionRes", ["FAILED_ServiceSelectionInvalid"]),
  }),
  c({
    id: "secc-iso2-value-008",
    title: "SelectedPaymentOption Contract on a connection without TLS → FAILED_PaymentSelectionInvalid",
    requirement: ["ISO 15118-2 ResponseCode FAILED_PaymentSelectionInvalid"],
    transport: "tcp",
    tester: {
      kind: "mutate",
      at: at("PaymentServiceSelectionReq"),
      set: { SelectedPaymentOption: "Contract" },
    },
    expect: failedThenClose("PaymentServiceSelectionRes", ["FAILED_PaymentSelectionInvalid"]),
  }),
  c({
    id: "secc-iso2-value-009",
    title: "EVMaximumVoltageLimit 50 V, below any DC charger's minimum → FAILED_WrongChargeParameter",
    requirement: ["ISO 15118-2 ResponseCode FAILED_WrongChargeParameter"],
    tester: {
      kind: "mutate",
      at: at("ChargeParameterDiscoveryReq"),
      set: { "DC_EVChargeParameter.EVMaximumVoltageLimit": pv(50, "V") },
    },
    expect: failedThenClose("ChargeParameterDiscoveryRes", ["FAILED_WrongChargeParameter"]),
  }),
];
