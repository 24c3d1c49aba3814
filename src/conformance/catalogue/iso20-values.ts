/**
 * SECC under test, ISO 15118-20: value errors. A service never offered (ServiceDetail: FAILED_ServiceIDInvalid,
 * [V2G20-464]; ServiceSelection: FAILED_NoEnergyTransferServiceSelected), a parameter set not offered
 * (FAILED_ServiceSelectionInvalid), the charge parameters of the wrong variant (BPT vs not, AC vs DC:
 * FAILED_WrongChargeParameter, [V2G20-2272], [V2G20-1619]), EV limits no EVSE can meet
 * (FAILED_WrongChargeParameter), a control-mode element other than the selected parameter set's (FAILED,
 * ISO 15118-20 ServiceDetail ControlMode), a schedule tuple not offered (FAILED_ScheduleSelectionInvalid). An EV target above
 * the EVSE maximum is not an error: the SECC keeps to its own limits and says so ([V2G20-2188]).
 */
import type { ConformanceCase } from "../types.js";
import { answered, at, failedThenClose, rn, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso20", "value", x);
const DC = { service: "dc" } as const;
const AC = { service: "ac" } as const;
const WRONG_PARAM = "ISO 15118-20 ResponseCode FAILED_WrongChargeParameter";

/** DC charge limits of an EV for a BPT_DC_CPDReqEnergyTransferMode (W, A, V). */
const BPT_DC_LIMITS = {
  EVMaximumChargePower: rn(150_000),
  EVMinimumChargePower: rn(0),
  EVMaximumChargeCurrent: rn(200),
  EVMinimumChargeCurrent: rn(0),
  EVMaximumVoltage: rn(900),
  EVMinimumVoltage: rn(200),
  EVMaximumDischargePower: rn(10_000),
  EVMinimumDischargePower: rn(0),
  EVMaximumDischargeCurrent: rn(20),
  EVMinimumDischargeCurrent: rn(0),
};

export const ISO20_VALUES: readonly ConformanceCase[] = [
  c({
    id: "secc-iso20-value-001",
    title: "ServiceDetailReq for ServiceID 3 (WPT, never offered) → FAILED_ServiceIDInvalid",
    requirement: ["[V2G20-464]", "ISO 15118-20 ResponseCode FAILED_ServiceIDInvalid"],
    tester: { kind: "mutate", at: at("ServiceDetailReq"), set: { ServiceID: 3 } },
    expect: failedThenClose("ServiceDetailRes", ["FAILED_ServiceIDInvalid"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-value-002",
    title:
      "ServiceSelectionReq selecting ServiceID 3 (WPT, never offered) → FAILED_NoEnergyTransferServiceSelected",
    requirement: ["ISO 15118-20 ResponseCode FAILED_NoEnergyTransferServiceSelected"],
    tester: {
      kind: "mutate",
      at: at("ServiceSelectionReq"),
      set: { "SelectedEnergyTransferService.ServiceID": 3 },
    },
    expect: failedThenClose("ServiceSelectionRes", [
      "FAILED_NoEnergyTransferServiceSelected",
      "FAILED_ServiceSelectionInvalid",
    ]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-value-003",
    title: "ServiceSelectionReq with ParameterSetID 999 (not offered) → FAILED_ServiceSelectionInvalid",
    requirement: [
      "ISO 15118-20 ResponseCode FAILED_ServiceSelectionInvalid",
      "ISO 15118-20 ServiceDetailRes ParameterSetID",
    ],
    tester: {
      kind: "mutate",
      at: at("ServiceSelectionReq"),
      set: { "SelectedEnergyTransferService.ParameterSetID": 999 },
    },
    expect: failedThenClose("ServiceSelectionRes", ["FAILED_ServiceSelectionInvalid"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-value-004",
    title: "DC service selected, BPT_DC_CPDReqEnergyTransferMode sent → FAILED_WrongChargeParameter",
    requirement: ["[V2G20-2272]", WRONG_PARAM],
    tester: {
      kind: "mutate",
      at: at("DC_ChargeParameterDiscoveryReq"),
      set: { DC_CPDReqEnergyTransferMode: null, BPT_DC_CPDReqEnergyTransferMode: BPT_DC_LIMITS },
    },
    expect: failedThenClose("DC_ChargeParameterDiscoveryRes", ["FAILED_WrongChargeParameter"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-value-005",
    title: "EVMaximumVoltage 50 V, below any DC charger's minimum → FAILED_WrongChargeParameter",
    requirement: [WRONG_PARAM, "ISO 15118-20 DC_ChargeParameterDiscoveryReq EVMaximumVoltage"],
    tester: {
      kind: "mutate",
      at: at("DC_ChargeParameterDiscoveryReq"),
      set: { "DC_CPDReqEnergyTransferMode.EVMaximumVoltage": rn(50) },
    },
    expect: failedThenClose("DC_ChargeParameterDiscoveryRes", ["FAILED_WrongChargeParameter"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-value-006",
    title: "Scheduled parameter set selected, ScheduleExchangeReq in Dynamic mode → FAILED",
    requirement: [
      "ISO 15118-20 ControlMode of the selected parameter set",
      "ISO 15118-20 ScheduleExchangeReq",
    ],
    tester: {
      kind: "mutate",
      at: at("ScheduleExchangeReq"),
      set: {
        Scheduled_SEReqControlMode: null,
        Dynamic_SEReqControlMode: {
          DepartureTime: 7200,
          EVTargetEnergyRequest: rn(20_000),
          EVMaximumEnergyRequest: rn(40_000),
          EVMinimumEnergyRequest: rn(1_000),
        },
      },
    },
    expect: failedThenClose("ScheduleExchangeRes", ["FAILED", "FAILED_WrongChargeParameter"]),
    ev: { service: "dc", control: "scheduled" },
  }),
  c({
    id: "secc-iso20-value-007",
    title: "Dynamic parameter set selected, DC_ChargeLoopReq in Scheduled mode → FAILED",
    requirement: ["ISO 15118-20 ControlMode of the selected parameter set", "ISO 15118-20 DC_ChargeLoopReq"],
    tester: {
      kind: "mutate",
      at: at("DC_ChargeLoopReq", 2),
      set: {
        Dynamic_DC_CLReqControlMode: null,
        Scheduled_DC_CLReqControlMode: { EVTargetCurrent: rn(50), EVTargetVoltage: rn(700) },
      },
    },
    expect: failedThenClose("DC_ChargeLoopRes", ["FAILED"]),
    ev: { service: "dc", control: "dynamic" },
  }),
  c({
    id: "secc-iso20-value-008",
    title:
      "PowerDeliveryReq (Start) selecting ScheduleTupleID 999 (not offered) → FAILED_ScheduleSelectionInvalid",
    requirement: [
      "ISO 15118-20 ResponseCode FAILED_ScheduleSelectionInvalid",
      "ISO 15118-20 PowerDeliveryReq EVPowerProfile",
    ],
    tester: {
      kind: "mutate",
      at: at("PowerDeliveryReq"),
      set: { "EVPowerProfile.Scheduled_EVPPTControlMode.SelectedScheduleTupleID": 999 },
    },
    expect: failedThenClose("PowerDeliveryRes", ["FAILED_ScheduleSelectionInvalid"]),
    ev: { service: "dc", control: "scheduled" },
  }),
  c({
    id: "secc-iso20-value-009",
    title:
      "EVTargetCurrent far above the EVSE maximum: answered OK with EVSECurrentLimitAchieved, not refused",
    requirement: ["[V2G20-2188]", "ISO 15118-20 DC_ChargeLoopRes EVSECurrentLimitAchieved"],
    tester: {
      kind: "mutate",
      at: at("DC_ChargeLoopReq", 2),
      set: { "Scheduled_DC_CLReqControlMode.EVTargetCurrent": rn(3000) },
    },
    expect: answered("DC_ChargeLoopRes", ["OK"], [{ path: "EVSECurrentLimitAchieved", oneOf: [true] }]),
    ev: { service: "dc", control: "scheduled" },
  }),
  c({
    id: "secc-iso20-value-010",
    title: "DC service selected, AC_ChargeParameterDiscoveryReq sent → FAILED_WrongChargeParameter",
    requirement: ["[V2G20-1619]", WRONG_PARAM],
    tester: {
      kind: "inject",
      at: at("DC_ChargeParameterDiscoveryReq"),
      message: "AC_ChargeParameterDiscoveryReq",
      body: {
        AC_CPDReqEnergyTransferMode: { EVMaximumChargePower: rn(11_000), EVMinimumChargePower: rn(0) },
      },
    },
    expect: failedThenClose("AC_ChargeParameterDiscoveryRes", [
      "FAILED_WrongChargeParameter",
      "FAILED_SequenceError",
    ]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-value-011",
    title: "AC service selected, DC_ChargeParameterDiscoveryReq sent → FAILED_WrongChargeParameter",
    requirement: ["[V2G20-2272]", WRONG_PARAM],
    tester: {
      kind: "inject",
      at: at("AC_ChargeParameterDiscoveryReq"),
      message: "DC_ChargeParameterDiscoveryReq",
      body: {
        DC_CPDReqEnergyTransferMode: {
          EVMaximumChargePower: rn(15_000),
          EVMinimumChargePower: rn(0),
          EVMaximumChargeCurrent: rn(200),
          EVMinimumChargeCurrent: rn(0),
          EVMaximumVoltage: rn(900),
          EVMinimumVoltage: rn(200),
        },
      },
    },
    expect: failedThenClose("DC_ChargeParameterDiscoveryRes", [
      "FAILED_WrongChargeParameter",
      "FAILED_SequenceError",
    ]),
    ev: AC,
  }),
  c({
    id: "secc-iso20-value-012",
    title: "AC service selected, BPT_AC_CPDReqEnergyTransferMode sent → FAILED_WrongChargeParameter",
    requirement: ["[V2G20-1619]", WRONG_PARAM],
    tester: {
      kind: "mutate",
      at: at("AC_ChargeParameterDiscoveryReq"),
      set: {
        AC_CPDReqEnergyTransferMode: null,
        BPT_AC_CPDReqEnergyTransferMode: {
          EVMaximumChargePower: rn(11_000),
          EVMinimumChargePower: rn(0),
          EVMaximumDischargePower: rn(11_000),
          EVMinimumDischargePower: rn(0),
        },
      },
    },
    expect: failedThenClose("AC_ChargeParameterDiscoveryRes", ["FAILED_WrongChargeParameter"]),
    ev: AC,
  }),
];
