/**
 * Car under test, DIN 70121 and ISO 15118-2 DC: normal flows. The tester's SECC answers as a normal
 * charger; the car must run the whole session, repeat a request the SECC answers with EVSEProcessing
 * Ongoing, stop charging on EVSENotification StopCharging, and charge within limits below its own.
 */
import type { ConformanceCase } from "../types.js";
import { DIN_EVCC, type EvccVocabulary, evccCase, ISO2_EVCC } from "./evcc-shape.js";
import { at, pv } from "./shape.js";

function normalCases(v: EvccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof evccCase>[2]) => evccCase(v.protocol, "normal", x);
  const id = (n: string) => `evcc-${v.protocol}-normal-${n}`;
  const SEQ = `${v.standard} V2G message sequence (DC, external payment)`;
  return [
    c({
      id: id("001"),
      title: "a whole session: the car charges and ends it with SessionStop",
      requirement: [SEQ],
      tester: { kind: "normal" },
      expect: { kind: "ev-session-ok" },
    }),
    c({
      id: id("002"),
      title: "EVSENotification StopCharging in CurrentDemandRes: the car stops (PowerDelivery stop)",
      requirement: [`${v.standard} EVSENotification StopCharging`],
      tester: {
        kind: "mutate",
        at: at("CurrentDemandRes", 2),
        set: { "DC_EVSEStatus.EVSENotification": "StopCharging" },
      },
      expect: {
        kind: "ev-request",
        requests: ["PowerDeliveryReq"],
        fields: [{ path: v.stopField.path, oneOf: [v.stopField.value] }],
      },
    }),
    c({
      id: id("003"),
      title: `${v.authorization}Res EVSEProcessing Ongoing: the car asks again`,
      requirement:
        v.protocol === "iso2"
          ? ["[V2G2-845]", `${v.standard} EVSEProcessing`]
          : [`${v.standard} EVSEProcessing`],
      tester: { kind: "mutate", at: at(`${v.authorization}Res`), set: { EVSEProcessing: "Ongoing" } },
      expect: { kind: "ev-request", requests: [`${v.authorization}Req`] },
    }),
    c({
      id: id("004"),
      title: "ChargeParameterDiscoveryRes EVSEProcessing Ongoing: the car asks again",
      requirement: [`${v.standard} EVSEProcessing`],
      tester: { kind: "mutate", at: at("ChargeParameterDiscoveryRes"), set: { EVSEProcessing: "Ongoing" } },
      expect: { kind: "ev-request", requests: ["ChargeParameterDiscoveryReq"] },
    }),
    c({
      id: id("005"),
      title: "CableCheckRes EVSEProcessing Ongoing: the car asks again",
      requirement: [`${v.standard} CableCheck EVSEProcessing`],
      tester: { kind: "mutate", at: at("CableCheckRes"), set: { EVSEProcessing: "Ongoing" } },
      expect: { kind: "ev-request", requests: ["CableCheckReq"] },
    }),
    c({
      id: id("006"),
      title: "EVSEMaximumCurrentLimit 20 A in CurrentDemandRes: the car asks for no more",
      requirement: [`${v.standard} CurrentDemandRes EVSEMaximumCurrentLimit`],
      tester: {
        kind: "mutate-from",
        at: at("CurrentDemandRes", 1),
        set: { EVSEMaximumCurrentLimit: pv(20, "A") },
      },
      expect: {
        kind: "ev-request",
        requests: ["CurrentDemandReq"],
        fields: [{ path: "EVTargetCurrent", atMost: 20 }],
      },
    }),
  ];
}

export const DIN_EVCC_NORMAL = normalCases(DIN_EVCC);
export const ISO2_EVCC_NORMAL = normalCases(ISO2_EVCC);
