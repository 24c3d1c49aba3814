/**
 * SECC under test, ISO 15118-20: timing. The tester falls silent with the connection open: outside the charge
 * loop the SECC must end the session at its V2G_SECC_Sequence_Timeout (60 s, ISO 15118-20 Table 215, or the
 * profile's figure) — not before —, in the charge loop 0.5 s after its last DC/AC_ChargeLoopRes ([V2G20-1500],
 * [V2G20-1502]: V2G_SECC_Sequence_Timeout_{DC,AC}_CL), switching its output off. The responses to the
 * steps the EV repeats while the EVSE works (DC_CableCheck, DC_PreCharge, DC_WeldingDetection: EVSEProcessing /
 * EVProcessing Ongoing) each within V2G_SECC_Msg_Performance_Time (ISO 15118-20 Table 217: 1.5 s).
 */
import type { ConformanceCase } from "../types.js";
import { answered, at, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso20", "timing", x);
const SEQ_TIMEOUT = "ISO 15118-20 V2G_SECC_Sequence_Timeout (Table 215)";
const DC = { service: "dc" } as const;
const AC = { service: "ac" } as const;
const atTimeout = { kind: "closes", withinMs: "sequenceTimeout", notBeforeMs: "sequenceTimeout" } as const;
const PERF = "ISO 15118-20 V2G_SECC_Msg_Performance_Time (Table 217)";

export const ISO20_TIMING: readonly ConformanceCase[] = [
  c({
    id: "secc-iso20-timing-001",
    title: "silent after SessionSetupRes: the SECC closes at its sequence timeout",
    requirement: [SEQ_TIMEOUT],
    tester: { kind: "silent", at: at("AuthorizationSetupReq") },
    expect: atTimeout,
    ev: DC,
  }),
  c({
    id: "secc-iso20-timing-002",
    title: "silent after ScheduleExchangeRes: the SECC closes at its sequence timeout",
    requirement: [SEQ_TIMEOUT],
    tester: { kind: "silent", at: at("DC_CableCheckReq") },
    expect: atTimeout,
    ev: DC,
  }),
  c({
    id: "secc-iso20-timing-003",
    title: "silent in the DC charge loop: the SECC closes 0.5 s after its DC_ChargeLoopRes",
    requirement: ["[V2G20-1500]", "ISO 15118-20 V2G_SECC_Sequence_Timeout_DC_CL (Table 217)"],
    tester: { kind: "silent", at: at("DC_ChargeLoopReq", 3) },
    expect: { kind: "closes", withinMs: "iso20ChargeLoopSequenceTimeout" },
    ev: DC,
  }),
  c({
    id: "secc-iso20-timing-004",
    title: "silent in the DC charge loop: the SECC switches its output off",
    requirement: ["[V2G20-1500]", "ISO 15118-20 V2G_SECC_Sequence_Timeout_DC_CL (Table 217)"],
    tester: { kind: "silent", at: at("DC_ChargeLoopReq", 3) },
    expect: { kind: "output-off", withinMs: "iso20ChargeLoopSequenceTimeout" },
    ev: DC,
  }),
  c({
    id: "secc-iso20-timing-005",
    title: "silent in the AC charge loop: the SECC closes 0.5 s after its AC_ChargeLoopRes",
    requirement: ["[V2G20-1502]", "ISO 15118-20 V2G_SECC_Sequence_Timeout_AC_CL (Table 216)"],
    tester: { kind: "silent", at: at("AC_ChargeLoopReq", 3) },
    expect: { kind: "closes", withinMs: "iso20ChargeLoopSequenceTimeout" },
    ev: AC,
  }),
  c({
    id: "secc-iso20-timing-006",
    title: "silent in the AC charge loop: the SECC switches its output off",
    requirement: ["[V2G20-1502]", "ISO 15118-20 V2G_SECC_Sequence_Timeout_AC_CL (Table 216)"],
    tester: { kind: "silent", at: at("AC_ChargeLoopReq", 3) },
    expect: { kind: "output-off", withinMs: "iso20ChargeLoopSequenceTimeout" },
    ev: AC,
  }),
  c({
    id: "secc-iso20-timing-007",
    title: "silent after PowerDeliveryRes (Stop): the SECC closes at its sequence timeout",
    requirement: [SEQ_TIMEOUT],
    tester: { kind: "silent", at: at("DC_WeldingDetectionReq") },
    expect: { kind: "closes", withinMs: "sequenceTimeout" },
    ev: DC,
  }),
  c({
    id: "secc-iso20-timing-008",
    title: "DC_CableCheckRes (EVSEProcessing Ongoing or Finished) within its performance time",
    requirement: [PERF],
    tester: { kind: "observe", at: at("DC_CableCheckReq") },
    expect: answered("DC_CableCheckRes", ["OK"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-timing-009",
    title: "DC_PreChargeRes (EVProcessing Ongoing) within its performance time",
    requirement: [PERF],
    tester: { kind: "observe", at: at("DC_PreChargeReq") },
    expect: answered("DC_PreChargeRes", ["OK"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-timing-010",
    title: "DC_WeldingDetectionRes within its performance time",
    requirement: [PERF],
    tester: { kind: "observe", at: at("DC_WeldingDetectionReq") },
    expect: answered("DC_WeldingDetectionRes", ["OK"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-timing-011",
    title: "ScheduleExchangeRes (EVSEProcessing Ongoing or Finished) within its performance time",
    requirement: ["ISO 15118-20 V2G_SECC_Msg_Performance_Time (Table 215)"],
    tester: { kind: "observe", at: at("ScheduleExchangeReq") },
    expect: answered("ScheduleExchangeRes", ["OK"]),
    ev: AC,
  }),
];
