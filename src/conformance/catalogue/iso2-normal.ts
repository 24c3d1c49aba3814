/** SECC under test, ISO 15118-2 DC with EIM: the normal flow and the SECC's performance times. */
import type { ConformanceCase } from "../types.js";
import { answered, at, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso2", "normal", x);

export const ISO2_NORMAL: readonly ConformanceCase[] = [
  c({
    id: "secc-iso2-normal-001",
    title: "DC EIM session from SessionSetup to SessionStop, every response OK within its performance time",
    requirement: ["ISO 15118-2 V2G_SECC_Msg_Performance_Time", "ISO 15118-2 DC EIM message sequence"],
    tester: { kind: "normal" },
    expect: { kind: "session-ok" },
  }),
  c({
    id: "secc-iso2-normal-002",
    title: "SessionSetupRes establishes a new session",
    requirement: ["ISO 15118-2 SessionSetupRes ResponseCode OK_NewSessionEstablished"],
    tester: { kind: "observe", at: at("SessionSetupReq") },
    expect: answered("SessionSetupRes", ["OK_NewSessionEstablished"]),
  }),
  c({
    id: "secc-iso2-normal-003",
    title: "ServiceDiscoveryRes offers ExternalPayment (EIM)",
    requirement: ["ISO 15118-2 ServiceDiscoveryRes PaymentOptionList"],
    tester: { kind: "observe", at: at("ServiceDiscoveryReq") },
    expect: answered(
      "ServiceDiscoveryRes",
      ["OK"],
      [
        {
          path: "PaymentOptionList.PaymentOption",
          oneOf: [["ExternalPayment"], ["ExternalPayment", "Contract"], ["Contract", "ExternalPayment"]],
        },
      ],
    ),
  }),
  c({
    id: "secc-iso2-normal-004",
    title: "PowerDeliveryRes (Start) within 4.5 s",
    requirement: ["ISO 15118-2 V2G_SECC_Msg_Performance_Time (PowerDeliveryRes)"],
    tester: { kind: "observe", at: at("PowerDeliveryReq") },
    expect: answered("PowerDeliveryRes", ["OK"]),
  }),
  c({
    id: "secc-iso2-normal-005",
    title: "CurrentDemandRes in the charge loop within its performance time",
    requirement: ["ISO 15118-2 V2G_SECC_Msg_Performance_Time (CurrentDemandRes)"],
    tester: { kind: "observe", at: at("CurrentDemandReq", 2) },
    expect: answered("CurrentDemandRes", ["OK"]),
  }),
  c({
    id: "secc-iso2-normal-006",
    title: "a repeated CurrentDemandReq is part of the loop: answered OK",
    requirement: ["ISO 15118-2 CurrentDemandReq (charge loop)"],
    tester: { kind: "repeat", at: at("CurrentDemandReq", 2) },
    expect: answered("CurrentDemandRes", ["OK"]),
  }),
];
