/**
 * SECC under test, ISO 15118-2 AC with EIM (the tester's EV runs its AC controller): the normal flow —
 * ChargeParameterDiscovery with AC_EVChargeParameter, PowerDelivery, the ChargingStatus loop (with
 * MeteringReceipt when the SECC asks for a receipt), PowerDelivery Stop, SessionStop —, a DC energy transfer
 * mode asked of an AC SECC (FAILED_WrongEnergyTransferMode, [V2G2-476]; the AC mode asked of a DC SECC is
 * secc-iso2-value-002), sequence errors, ChargingStatus timing, and the EV opening S2 in the loop (output off).
 */
import { T_CONTACTOR_OPEN_MAX_MS } from "../../pilot/constants.js";
import type { CaseGroup, ConformanceCase } from "../types.js";
import { IEC_61851_C_TO_B } from "./j3400.js";
import { answered, at, failedThenClose, ISO2_VOCABULARY, seccCase } from "./shape.js";

const AC = { energy: "ac" } as const;
const c = (group: CaseGroup, x: Omit<Parameters<typeof seccCase>[2], "ev">) =>
  seccCase("iso2", group, { ...x, ev: AC });
const SEQ_TIMEOUT = "ISO 15118-2 V2G_SECC_Sequence_Timeout";

export const ISO2_AC: readonly ConformanceCase[] = [
  c("normal", {
    id: "secc-iso2-ac-normal-001",
    title: "AC EIM session from SessionSetup to SessionStop, every response OK within its performance time",
    requirement: ["ISO 15118-2 V2G_SECC_Msg_Performance_Time", "ISO 15118-2 AC EIM message sequence"],
    tester: { kind: "normal" },
    expect: { kind: "session-ok" },
  }),
  c("normal", {
    id: "secc-iso2-ac-normal-002",
    title: "ChargeParameterDiscoveryRes to AC_EVChargeParameter: OK with AC_EVSEChargeParameter",
    requirement: ["ISO 15118-2 ChargeParameterDiscoveryRes AC_EVSEChargeParameter"],
    tester: { kind: "observe", at: at("ChargeParameterDiscoveryReq") },
    expect: answered(
      "ChargeParameterDiscoveryRes",
      ["OK"],
      [{ path: "AC_EVSEChargeParameter.EVSENominalVoltage.Unit", oneOf: ["V"] }],
    ),
  }),
  c("normal", {
    id: "secc-iso2-ac-normal-003",
    title: "PowerDeliveryRes (Start) within 4.5 s",
    requirement: ["ISO 15118-2 V2G_SECC_Msg_Performance_Time (PowerDeliveryRes)"],
    tester: { kind: "observe", at: at("PowerDeliveryReq") },
    expect: answered("PowerDeliveryRes", ["OK"]),
  }),
  c("normal", {
    id: "secc-iso2-ac-normal-004",
    title: "ServiceDiscoveryRes offers the AC charge service",
    requirement: ["ISO 15118-2 ServiceDiscoveryRes ChargeService SupportedEnergyTransferMode"],
    tester: { kind: "observe", at: at("ServiceDiscoveryReq") },
    expect: answered("ServiceDiscoveryRes", ["OK"]),
  }),
  c("value", {
    id: "secc-iso2-ac-value-001",
    title: "RequestedEnergyTransferMode DC_extended at an AC SECC → FAILED_WrongEnergyTransferMode",
    requirement: ["[V2G2-476]", "[V2G2-477]"],
    tester: {
      kind: "mutate",
      at: at("ChargeParameterDiscoveryReq"),
      set: { RequestedEnergyTransferMode: "DC_extended" },
    },
    expect: failedThenClose("ChargeParameterDiscoveryRes", [
      "FAILED_WrongEnergyTransferMode",
      "FAILED_WrongChargeParameter",
    ]),
  }),
  c("value", {
    id: "secc-iso2-ac-value-002",
    title: "RequestedEnergyTransferMode DC_core at an AC SECC → FAILED_WrongEnergyTransferMode",
    requirement: ["[V2G2-476]"],
    tester: {
      kind: "mutate",
      at: at("ChargeParameterDiscoveryReq"),
      set: { RequestedEnergyTransferMode: "DC_core" },
    },
    expect: failedThenClose("ChargeParameterDiscoveryRes", [
      "FAILED_WrongEnergyTransferMode",
      "FAILED_WrongChargeParameter",
    ]),
  }),
  c("sequence", {
    id: "secc-iso2-ac-seq-001",
    title: "unknown SessionID in the ChargingStatus loop → FAILED_UnknownSession",
    requirement: [ISO2_VOCABULARY.unknownSession],
    tester: { kind: "session-id", at: at("ChargingStatusReq", 2), sessionIdHex: "a5a5a5a5a5a5a5a5" },
    expect: failedThenClose("ChargingStatusRes", ["FAILED_UnknownSession"]),
  }),
  c("sequence", {
    id: "secc-iso2-ac-seq-002",
    title: "CableCheckReq (DC only) in an AC session → FAILED_SequenceError",
    requirement: ISO2_VOCABULARY.sequenceError,
    tester: {
      kind: "inject",
      at: at("PowerDeliveryReq"),
      message: "CableCheckReq",
      body: { DC_EVStatus: { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 50 } },
    },
    expect: failedThenClose("CableCheckRes", ["FAILED_SequenceError"]),
  }),
  c("timing", {
    id: "secc-iso2-ac-timing-001",
    title: "ChargingStatusRes in the charge loop within its performance time",
    requirement: ["ISO 15118-2 V2G_SECC_Msg_Performance_Time (ChargingStatusRes)"],
    tester: { kind: "observe", at: at("ChargingStatusReq", 2) },
    expect: answered("ChargingStatusRes", ["OK"]),
  }),
  c("timing", {
    id: "secc-iso2-ac-timing-002",
    title:
      "silent in the ChargingStatus loop: the SECC ends the session at its sequence timeout and switches its output off",
    requirement: [SEQ_TIMEOUT, "IEC 61851-1 Annex A (supply off when the session ends)"],
    tester: { kind: "silent", at: at("ChargingStatusReq", 3) },
    expect: { kind: "output-off", withinMs: "sequenceTimeout" },
  }),
  c("timing", {
    id: "secc-iso2-ac-timing-003",
    title: "silent in the ChargingStatus loop: the SECC ends the session by its sequence timeout",
    requirement: [SEQ_TIMEOUT],
    tester: { kind: "silent", at: at("ChargingStatusReq", 3) },
    expect: { kind: "closes", withinMs: "sequenceTimeout" },
  }),
  c("transport", {
    id: "secc-iso2-ac-transport-001",
    title: "connection lost in the ChargingStatus loop: the SECC switches its output off",
    requirement: [ISO2_VOCABULARY.tcpClause],
    tester: { kind: "drop", at: at("ChargingStatusReq", 3) },
    expect: { kind: "output-off", withinMs: "connectionLossOff" },
  }),
  c("j3400", {
    id: "secc-iso2-ac-j3400-001",
    title:
      "EV opens S2 (CP C→B) in the ChargingStatus loop without PowerDelivery Stop: output off within 100 ms",
    requirement: [IEC_61851_C_TO_B, "ISO 15118-2 AC charging on a SAE J3400 connector: EV stop by CP state"],
    tester: { kind: "board", at: at("ChargingStatusReq", 3), action: "s2-open" },
    expect: { kind: "output-off", withinMs: T_CONTACTOR_OPEN_MAX_MS },
  }),
];
