/** SECC under test, DIN 70121 DC (EIM): the normal flow and the SECC's performance times. */
import type { ConformanceCase } from "../types.js";
import { answered, at, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("din", "normal", x);

export const DIN_NORMAL: readonly ConformanceCase[] = [
  c({
    id: "secc-din-normal-001",
    title: "DC EIM session from SessionSetup to SessionStop, every response OK within its performance time",
    requirement: ["DIN 70121 V2G_SECC_Msg_Performance_Time", "DIN 70121 DC EIM message sequence"],
    tester: { kind: "normal" },
    expect: { kind: "session-ok" },
  }),
  c({
    id: "secc-din-normal-002",
    title: "SessionSetupRes establishes a new session",
    requirement: ["DIN 70121 SessionSetupRes ResponseCode OK_NewSessionEstablished"],
    tester: { kind: "observe", at: at("SessionSetupReq") },
    expect: answered("SessionSetupRes", ["OK_NewSessionEstablished"]),
  }),
  c({
    id: "secc-din-normal-003",
    title: "ServiceDiscoveryRes offers ExternalPayment only",
    requirement: ["DIN 70121 [V2G-DC-252]"],
    tester: { kind: "observe", at: at("ServiceDiscoveryReq") },
    expect: answered(
      "ServiceDiscoveryRes",
      ["OK"],
      [{ path: "PaymentOptions.PaymentOption", oneOf: [["ExternalPayment"]] }],
    ),
  }),
  c({
    id: "secc-din-normal-004",
    title: "PowerDeliveryRes (Start) within 4.5 s",
    requirement: ["DIN 70121 V2G_SECC_Msg_Performance_Time (PowerDeliveryRes)"],
    tester: { kind: "observe", at: at("PowerDeliveryReq") },
    expect: answered("PowerDeliveryRes", ["OK"]),
  }),
  c({
    id: "secc-din-normal-005",
    title: "CurrentDemandRes in the charge loop within its performance time",
    requirement: ["DIN 70121 V2G_SECC_Msg_Performance_Time (CurrentDemandRes)"],
    tester: { kind: "observe", at: at("CurrentDemandReq", 2) },
    expect: answered("CurrentDemandRes", ["OK"]),
  }),
  c({
    id: "secc-din-normal-006",
    title: "a repeated CurrentDemandReq is part of the loop: answered OK",
    requirement: ["DIN 70121 CurrentDemandReq (charge loop)"],
    tester: { kind: "repeat", at: at("CurrentDemandReq", 2) },
    expect: answered("CurrentDemandRes", ["OK"]),
  }),
];
