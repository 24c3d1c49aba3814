/**
 * SECC under test, ISO 15118-20 on a SAE J3400 (NACS) connector: the EV opening S2 (CP C→B) in the charge
 * loop without PowerDelivery Stop (IEC 61851-1 Annex A sequence 8.1: supply off within 100 ms), and pause and
 * resume: SessionStop (ChargingSession Pause), then a new connection whose SessionSetupReq carries the paused
 * SessionID is answered OK_OldSessionJoined and the session goes on at *_ChargeParameterDiscovery ([V2G20-1032],
 * [V2G20-1844]; ISO 15118-20 pause and resume).
 */
import { T_CONTACTOR_OPEN_MAX_MS } from "../../pilot/constants.js";
import type { ConformanceCase } from "../types.js";
import { IEC_61851_C_TO_B } from "./j3400.js";
import { answered, at, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso20", "j3400", x);
const PAUSE = "ISO 15118-20 SessionStopReq ChargingSession Pause";
const JOINED = "ISO 15118-20 SessionSetupRes ResponseCode OK_OldSessionJoined";

export const ISO20_J3400: readonly ConformanceCase[] = [
  c({
    id: "secc-iso20-j3400-001",
    title: "EV opens S2 (CP C→B) in the DC charge loop without PowerDelivery Stop: output off within 100 ms",
    requirement: [IEC_61851_C_TO_B, "ISO 15118-20 DC charging on a SAE J3400 connector: EV stop by CP state"],
    tester: { kind: "board", at: at("DC_ChargeLoopReq", 3), action: "s2-open" },
    expect: { kind: "output-off", withinMs: T_CONTACTOR_OPEN_MAX_MS },
    ev: { service: "dc" },
  }),
  c({
    id: "secc-iso20-j3400-002",
    title: "EV opens S2 (CP C→B) in the AC charge loop without PowerDelivery Stop: output off within 100 ms",
    requirement: [IEC_61851_C_TO_B, "ISO 15118-20 AC charging on a SAE J3400 connector: EV stop by CP state"],
    tester: { kind: "board", at: at("AC_ChargeLoopReq", 3), action: "s2-open" },
    expect: { kind: "output-off", withinMs: T_CONTACTOR_OPEN_MAX_MS },
    ev: { service: "ac" },
  }),
  c({
    id: "secc-iso20-j3400-003",
    title: "DC pause (SessionStop Pause) and resume with the same SessionID: OK_OldSessionJoined",
    requirement: [PAUSE, JOINED, "[V2G20-2545]"],
    tester: { kind: "pause-resume", at: at("SessionSetupReq", 2) },
    expect: answered("SessionSetupRes", ["OK_OldSessionJoined"]),
    ev: { service: "dc" },
  }),
  c({
    id: "secc-iso20-j3400-004",
    title: "DC resumed session: DC_ChargeParameterDiscoveryReq right after SessionSetup answered OK",
    requirement: ["[V2G20-1032]", "[V2G20-1844]", JOINED],
    tester: { kind: "pause-resume", at: at("DC_ChargeParameterDiscoveryReq", 2) },
    expect: answered("DC_ChargeParameterDiscoveryRes", ["OK"]),
    ev: { service: "dc" },
  }),
  c({
    id: "secc-iso20-j3400-005",
    title: "AC pause (SessionStop Pause) and resume with the same SessionID: OK_OldSessionJoined",
    requirement: [PAUSE, JOINED, "[V2G20-2545]"],
    tester: { kind: "pause-resume", at: at("SessionSetupReq", 2) },
    expect: answered("SessionSetupRes", ["OK_OldSessionJoined"]),
    ev: { service: "ac" },
  }),
];
