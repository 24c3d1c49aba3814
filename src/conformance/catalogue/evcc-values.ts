/**
 * Car under test, DIN 70121 and ISO 15118-2 DC: value errors in the SECC's responses. A FAILED
 * ResponseCode ends the session (the car opens its contactors and S2 and closes the connection); a
 * shutdown status, an isolation fault in CableCheck, limits the car cannot charge within, an offer without
 * its energy transfer or payment, and a present voltage that never reaches the target in PreCharge each
 * make it stop. ISO 15118-2: a response asking for a receipt gets one.
 */
import { V2G_EVCC_PRE_CHARGE_TIMEOUT_MS } from "../../v2g/session/timeouts.js";
import type { ConformanceCase } from "../types.js";
import { DIN_EVCC, type EvccVocabulary, evccCase, evEnds, ISO2_EVCC } from "./evcc-shape.js";
import { at, pv } from "./shape.js";

function valueCases(v: EvccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof evccCase>[2]) => evccCase(v.protocol, "value", x);
  const id = (n: number) => `evcc-${v.protocol}-value-${String(n).padStart(3, "0")}`;
  const FAILED = `${v.standard} ResponseCode FAILED (the EVCC ends the session)`;
  const failed = (n: number, response: string, occurrence = 1): ConformanceCase =>
    c({
      id: id(n),
      title: `${response} FAILED: the car ends the session`,
      requirement: [FAILED],
      tester: { kind: "mutate", at: at(response, occurrence), set: { ResponseCode: "FAILED" } },
      expect: evEnds(),
    });
  const stopField = { path: v.stopField.path, oneOf: [v.stopField.value] };
  return [
    failed(1, "SessionSetupRes"),
    failed(2, "ServiceDiscoveryRes"),
    failed(3, "ChargeParameterDiscoveryRes"),
    failed(4, "CableCheckRes"),
    failed(5, "PreChargeRes"),
    failed(6, "PowerDeliveryRes"),
    failed(7, "CurrentDemandRes", 2),
    c({
      id: id(8),
      title: "EVSEStatusCode EVSE_EmergencyShutdown in CurrentDemandRes: the car stops charging",
      requirement: [`${v.standard} DC_EVSEStatusCode EVSE_EmergencyShutdown`],
      tester: {
        kind: "mutate",
        at: at("CurrentDemandRes", 2),
        set: { "DC_EVSEStatus.EVSEStatusCode": "EVSE_EmergencyShutdown" },
      },
      expect: { kind: "ev-request", requests: ["PowerDeliveryReq"], fields: [stopField] },
    }),
    c({
      id: id(9),
      title: "EVSEStatusCode EVSE_Shutdown in CurrentDemandRes: the car stops charging",
      requirement: [`${v.standard} DC_EVSEStatusCode EVSE_Shutdown`],
      tester: {
        kind: "mutate",
        at: at("CurrentDemandRes", 2),
        set: { "DC_EVSEStatus.EVSEStatusCode": "EVSE_Shutdown" },
      },
      expect: { kind: "ev-request", requests: ["PowerDeliveryReq"], fields: [stopField] },
    }),
    c({
      id: id(10),
      title: "EVSEIsolationStatus Fault in CableCheckRes: the car ends the session",
      requirement: [
        `${v.standard} CableCheckRes EVSEIsolationStatus`,
        "IEC 61851-23 CC.4.1 (isolation check)",
      ],
      tester: {
        kind: "mutate",
        at: at("CableCheckRes"),
        set: { "DC_EVSEStatus.EVSEIsolationStatus": "Fault", EVSEProcessing: "Finished" },
      },
      expect: evEnds(),
    }),
    c({
      id: id(11),
      title: "EVSEMaximumVoltageLimit below the battery: the car does not charge (SessionStop)",
      requirement: [`${v.standard} ChargeParameterDiscoveryRes DC_EVSEChargeParameter`],
      tester: {
        kind: "mutate",
        at: at("ChargeParameterDiscoveryRes"),
        set: { "DC_EVSEChargeParameter.EVSEMaximumVoltageLimit": pv(100, "V") },
      },
      expect: evEnds(),
    }),
    c({
      id: id(12),
      title: "ServiceDiscoveryRes offers AC only: the car does not go on",
      requirement: [`${v.standard} ServiceDiscoveryRes ChargeService (energy transfer offered)`],
      tester: {
        kind: "mutate",
        at: at("ServiceDiscoveryRes"),
        set: { [v.energyOffer.path]: v.energyOffer.acOnly },
      },
      expect: evEnds(),
    }),
    c({
      id: id(13),
      title: "ServiceDiscoveryRes offers Contract payment only: the car (external payment) does not go on",
      requirement: [`${v.standard} ServiceDiscoveryRes payment options`],
      tester: { kind: "mutate", at: at("ServiceDiscoveryRes"), set: { [v.paymentOptions]: ["Contract"] } },
      expect: evEnds(),
    }),
    c({
      id: id(14),
      title:
        "EVSEPresentVoltage never reaches the target in PreCharge: no contactors, the car ends the session",
      requirement: [
        `${v.standard} V2G_EVCC_PreCharge_Timeout`,
        `${v.standard} PreChargeRes EVSEPresentVoltage`,
      ],
      tester: { kind: "mutate-from", at: at("PreChargeRes", 1), set: { EVSEPresentVoltage: pv(0, "V") } },
      expect: evEnds(V2G_EVCC_PRE_CHARGE_TIMEOUT_MS + 1_000, ["PreChargeReq", "SessionStopReq"]),
    }),
  ];
}

/** The MeterID the tester SECC gives in the response that asks for a receipt. */
const RECEIPT_METER_ID = "NACS-RECEIPT-1";

/**
 * ISO 15118-2 only (DIN 70121 has no MeteringReceipt): ReceiptRequired in CurrentDemandRes, and the car's
 * next request is a MeteringReceiptReq repeating that response's MeterInfo (the receipt the SECC asked for;
 * in a Contract session the car signs it, [V2G2-903]).
 */
const ISO2_RECEIPT_CASE: ConformanceCase = evccCase("iso2", "value", {
  id: "evcc-iso2-value-015",
  title:
    "ReceiptRequired in CurrentDemandRes: the car sends a MeteringReceiptReq with that response's MeterInfo",
  requirement: ["ISO 15118-2 CurrentDemandRes ReceiptRequired", "ISO 15118-2 MeteringReceiptReq MeterInfo"],
  tester: {
    kind: "mutate",
    at: at("CurrentDemandRes", 2),
    set: { ReceiptRequired: true, "MeterInfo.MeterID": RECEIPT_METER_ID },
  },
  expect: {
    kind: "ev-request",
    requests: ["MeteringReceiptReq"],
    fields: [{ path: "MeterInfo.MeterID", oneOf: [RECEIPT_METER_ID] }],
  },
});

export const DIN_EVCC_VALUES = valueCases(DIN_EVCC);
export const ISO2_EVCC_VALUES = [...valueCases(ISO2_EVCC), ISO2_RECEIPT_CASE];
