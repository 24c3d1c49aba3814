/**
 * Car under test, DIN 70121 and ISO 15118-2 DC: sequence errors in the SECC's responses. A response that
 * carries another session's SessionID, a response to another request, a response sent twice, or a
 * supportedAppProtocolRes without a negotiated protocol: the car must not act on it — it ends the session.
 */
import type { ConformanceCase } from "../types.js";
import { DIN_EVCC, type EvccVocabulary, evccCase, evEnds, ISO2_EVCC } from "./evcc-shape.js";
import { at } from "./shape.js";

/** A SessionID no SECC of the run hands out. */
const OTHER_SESSION = "DEADBEEF00C0FFEE";

function sequenceCases(v: EvccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof evccCase>[2]) => evccCase(v.protocol, "sequence", x);
  const id = (n: number) => `evcc-${v.protocol}-seq-${String(n).padStart(3, "0")}`;
  const SESSION_ID = `${v.standard} MessageHeader SessionID (the one SessionSetupRes assigned)`;
  const PAIRS = `${v.standard} message sequence (each request answered by its response)`;
  return [
    c({
      id: id(1),
      title: "ServiceDiscoveryRes with another SessionID: the car ends the session",
      requirement: [SESSION_ID],
      tester: { kind: "session-id", at: at("ServiceDiscoveryRes"), sessionIdHex: OTHER_SESSION },
      expect: evEnds(),
    }),
    c({
      id: id(2),
      title: "CurrentDemandRes with another SessionID: the car stops charging and ends the session",
      requirement: [SESSION_ID],
      tester: { kind: "session-id", at: at("CurrentDemandRes", 2), sessionIdHex: OTHER_SESSION },
      expect: evEnds(),
    }),
    c({
      id: id(3),
      title: "SessionSetupRes in answer to ServiceDiscoveryReq: the car ends the session",
      requirement: [PAIRS],
      tester: { kind: "replay", at: at("ServiceDiscoveryRes"), message: "SessionSetupRes" },
      expect: evEnds(),
    }),
    c({
      id: id(4),
      title: "PreChargeRes in answer to CurrentDemandReq: the car stops charging and ends the session",
      requirement: [PAIRS],
      tester: { kind: "replay", at: at("CurrentDemandRes", 2), message: "PreChargeRes" },
      expect: evEnds(),
    }),
    c({
      id: id(5),
      title: "SessionSetupRes sent twice: the car does not take the copy as its next response",
      requirement: [PAIRS],
      tester: { kind: "repeat", at: at("SessionSetupRes") },
      expect: evEnds(undefined, ["ServiceDiscoveryReq", "SessionStopReq"]),
    }),
    c({
      id: id(6),
      title: "supportedAppProtocolRes Failed_NoNegotiation: the car starts no session",
      requirement: [`${v.standard} supportedAppProtocolRes ResponseCode Failed_NoNegotiation`],
      tester: {
        kind: "mutate",
        at: at("supportedAppProtocolRes"),
        set: { ResponseCode: "Failed_NoNegotiation" },
      },
      expect: evEnds(),
    }),
  ];
}

export const DIN_EVCC_SEQUENCE = sequenceCases(DIN_EVCC);
export const ISO2_EVCC_SEQUENCE = sequenceCases(ISO2_EVCC);
