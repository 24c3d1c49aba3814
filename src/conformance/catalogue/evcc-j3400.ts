/**
 * Car under test, DIN 70121 and ISO 15118-2 DC: the J3400 items a tester EVSE can make happen on its own
 * board — its emergency stop (pilot to state F, output off; IEC 61851-1 Annex A, IEC 61851-23): the car must
 * stop drawing current and end the session.
 */
import type { ConformanceCase } from "../types.js";
import { DIN_EVCC, type EvccVocabulary, evccCase, evEnds, ISO2_EVCC } from "./evcc-shape.js";
import { at } from "./shape.js";

function j3400Cases(v: EvccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof evccCase>[2]) => evccCase(v.protocol, "j3400", x);
  return [
    c({
      id: `evcc-${v.protocol}-j3400-001`,
      title:
        "the tester EVSE's emergency stop in the charge loop: the car stops drawing current and ends the session",
      requirement: [
        "SAE J3400 / IEC 61851-1 Annex A (state F: the EV stops)",
        `${v.standard} DC_EVSEStatusCode EVSE_EmergencyShutdown`,
      ],
      tester: { kind: "evse-input", at: at("CurrentDemandRes", 2), input: "emergency-stop" },
      expect: {
        ...evEnds(undefined, [
          "CurrentDemandReq",
          "PowerDeliveryReq",
          "WeldingDetectionReq",
          "SessionStopReq",
        ]),
        anyClose: true,
      },
    }),
  ];
}

export const DIN_EVCC_J3400 = j3400Cases(DIN_EVCC);
export const ISO2_EVCC_J3400 = j3400Cases(ISO2_EVCC);
