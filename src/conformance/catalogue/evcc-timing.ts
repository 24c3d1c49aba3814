/**
 * Car under test, DIN 70121 and ISO 15118-2 DC: timing. The tester's SECC holds a response back (or sends
 * it late): the car must give up at its V2G_EVCC_Msg_Timeout for that request — not before — and end the
 * session (contactors and S2 open, connection closed). Answered Ongoing for ever, it must give up at its
 * phase timer (V2G_EVCC_CableCheck_Timeout, V2G_EVCC_Ongoing_Timeout).
 */
import {
  V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2014_MS,
  V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS,
  V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS,
  V2G_EVCC_ONGOING_TIMEOUT_MS,
} from "../../v2g/session/timeouts.js";
import type { ConformanceCase } from "../types.js";
import { DIN_EVCC, type EvccVocabulary, evccCase, evEnds, ISO2_EVCC } from "./evcc-shape.js";
import { at } from "./shape.js";

function timingCases(v: EvccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof evccCase>[2]) => evccCase(v.protocol, "timing", x);
  const id = (n: number) => `evcc-${v.protocol}-timing-${String(n).padStart(3, "0")}`;
  const MSG = `${v.standard} V2G_EVCC_Msg_Timeout`;
  const silent = (n: number, response: string, timeoutMs: number, occurrence = 1): ConformanceCase =>
    c({
      id: id(n),
      title: `${response} held back: the car gives up after ${timeoutMs} ms`,
      requirement: [`${MSG} (${response.replace(/Res$/, "Req")}: ${timeoutMs / 1000} s)`],
      tester: { kind: "silent", at: at(response, occurrence) },
      expect: evEnds(timeoutMs, [], timeoutMs),
    });
  const D = V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS;
  const cableCheckMs =
    v.protocol === "din" ? V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2014_MS : V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS;
  return [
    silent(1, "SessionSetupRes", D),
    silent(2, "ServiceDiscoveryRes", D),
    silent(3, "CableCheckRes", D),
    silent(4, "PreChargeRes", D),
    silent(5, "PowerDeliveryRes", v.powerDeliveryTimeoutMs),
    silent(6, "CurrentDemandRes", v.currentDemandTimeoutMs, 2),
    c({
      id: id(7),
      title: `CurrentDemandRes 1 s late: the car has given up after ${v.currentDemandTimeoutMs} ms`,
      requirement: [`${MSG} (CurrentDemandReq: ${v.currentDemandTimeoutMs / 1000} s)`],
      tester: { kind: "delay", at: at("CurrentDemandRes", 2), ms: 1_000 },
      expect: evEnds(v.currentDemandTimeoutMs, []),
    }),
    silent(8, "WeldingDetectionRes", D),
    silent(9, "SessionStopRes", D),
    c({
      id: id(10),
      title: "CableCheckRes Ongoing for ever: the car gives up at V2G_EVCC_CableCheck_Timeout",
      requirement: [`${v.standard} V2G_EVCC_CableCheck_Timeout (${cableCheckMs / 1000} s)`],
      tester: { kind: "mutate-from", at: at("CableCheckRes"), set: { EVSEProcessing: "Ongoing" } },
      expect: evEnds(cableCheckMs + D, ["CableCheckReq", "SessionStopReq"]),
    }),
    c({
      id: id(11),
      title: "ChargeParameterDiscoveryRes Ongoing for ever: the car gives up at V2G_EVCC_Ongoing_Timeout",
      requirement: [`${v.standard} V2G_EVCC_Ongoing_Timeout (${V2G_EVCC_ONGOING_TIMEOUT_MS / 1000} s)`],
      tester: {
        kind: "mutate-from",
        at: at("ChargeParameterDiscoveryRes"),
        set: { EVSEProcessing: "Ongoing" },
      },
      expect: evEnds(V2G_EVCC_ONGOING_TIMEOUT_MS + D, ["ChargeParameterDiscoveryReq", "SessionStopReq"]),
    }),
  ];
}

export const DIN_EVCC_TIMING = timingCases(DIN_EVCC);
export const ISO2_EVCC_TIMING = timingCases(ISO2_EVCC);
