/**
 * SECC under test, ISO 15118-20 EIM: the normal flow of every energy service (ISO 15118-20 Table 204: DC,
 * DC_BPT, AC, AC_BPT) in both control modes (ServiceDetail parameter ControlMode: Scheduled, Dynamic) — the profile says which the
 * SUT offers — and the SECC's answers to the steps of the session, each within its
 * V2G_SECC_Msg_Performance_Time (ISO 15118-20 Table 215; the charge loops: Table 217).
 */
import type { CaseEv, ConformanceCase, Iso20Control, Iso20Service } from "../types.js";
import { answered, at, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso20", "normal", x);

/** The names ISO 15118-20 Table 204 gives the services. */
const SERVICE_NAME: Record<Iso20Service, string> = {
  dc: "DC",
  "dc-bpt": "DC_BPT",
  ac: "AC",
  "ac-bpt": "AC_BPT",
};
const FLOW = "ISO 15118-20 message sequence (EIM)";

/** A whole session of `service` in `control` mode: every response OK within its performance time. */
function sessionCase(n: number, service: Iso20Service, control: Iso20Control): ConformanceCase {
  return c({
    id: `secc-iso20-normal-${String(n).padStart(3, "0")}`,
    title: `${SERVICE_NAME[service]} ${control} EIM session from SessionSetup to SessionStop, every response OK within its performance time`,
    requirement: [
      FLOW,
      "ISO 15118-20 V2G_SECC_Msg_Performance_Time",
      `ISO 15118-20 Table 204 (${SERVICE_NAME[service]})`,
    ],
    tester: { kind: "normal" },
    expect: { kind: "session-ok" },
    ev: { service, control },
  });
}

const DC: CaseEv = { service: "dc" };
const AC: CaseEv = { service: "ac" };

export const ISO20_NORMAL: readonly ConformanceCase[] = [
  sessionCase(1, "dc", "scheduled"),
  sessionCase(2, "dc", "dynamic"),
  sessionCase(3, "dc-bpt", "scheduled"),
  sessionCase(4, "dc-bpt", "dynamic"),
  sessionCase(5, "ac", "scheduled"),
  sessionCase(6, "ac", "dynamic"),
  sessionCase(7, "ac-bpt", "scheduled"),
  sessionCase(8, "ac-bpt", "dynamic"),
  c({
    id: "secc-iso20-normal-009",
    title: "SessionSetupRes establishes a new session (SessionID 0 in the request)",
    requirement: ["[V2G20-2106]", "ISO 15118-20 SessionSetupRes ResponseCode OK_NewSessionEstablished"],
    tester: { kind: "observe", at: at("SessionSetupReq") },
    expect: answered("SessionSetupRes", ["OK_NewSessionEstablished"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-normal-010",
    title: "AuthorizationSetupRes and AuthorizationRes (EIM) answered OK",
    requirement: ["ISO 15118-20 AuthorizationReq (EIM)", "ISO 15118-20 V2G_SECC_Msg_Performance_Time"],
    tester: { kind: "observe", at: at("AuthorizationReq") },
    expect: answered("AuthorizationRes", ["OK"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-normal-011",
    title: "ServiceDetailRes for the DC service answered OK with its parameter sets",
    requirement: ["ISO 15118-20 ServiceDetailRes", "[V2G20-464]"],
    tester: { kind: "observe", at: at("ServiceDetailReq") },
    expect: answered("ServiceDetailRes", ["OK"], [{ path: "ServiceID", oneOf: [2] }]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-normal-012",
    title: "PowerDeliveryRes (Start) within 1.5 s",
    requirement: ["ISO 15118-20 V2G_SECC_Msg_Performance_Time (PowerDeliveryRes, Table 215)"],
    tester: { kind: "observe", at: at("PowerDeliveryReq") },
    expect: answered("PowerDeliveryRes", ["OK"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-normal-013",
    title: "the first DC_ChargeLoopRes within its performance time",
    requirement: ["ISO 15118-20 V2G_SECC_Msg_Performance_Time (DC_ChargeLoopRes, Table 217)"],
    tester: { kind: "observe", at: at("DC_ChargeLoopReq") },
    expect: answered("DC_ChargeLoopRes", ["OK"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-normal-014",
    title: "the first AC_ChargeLoopRes within its performance time",
    requirement: ["ISO 15118-20 V2G_SECC_Msg_Performance_Time (AC_ChargeLoopRes)"],
    tester: { kind: "observe", at: at("AC_ChargeLoopReq") },
    expect: answered("AC_ChargeLoopRes", ["OK"]),
    ev: AC,
  }),
  c({
    id: "secc-iso20-normal-015",
    title: "AC PowerDeliveryRes (Start) within 1.5 s, contactor closed before it",
    requirement: ["ISO 15118-20 V2G_SECC_Msg_Performance_Time (PowerDeliveryRes, Table 215)", "[V2G20-860]"],
    tester: { kind: "observe", at: at("PowerDeliveryReq") },
    expect: answered("PowerDeliveryRes", ["OK"]),
    ev: AC,
  }),
];
