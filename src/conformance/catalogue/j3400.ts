/**
 * SECC under test, DIN 70121 and ISO 15118-2 DC on a SAE J3400 (NACS) connector: the items a tester sees
 * over the wire and the pilot. The tester acts on its own board (the EV side of the cable) in the charge
 * loop and the verdict is on the inlet current, as in the timing group.
 *
 * - EV stops with S2: the tester opens S2 (CP state C→B) without a PowerDelivery Stop; IEC 61851-1
 *   Annex A (sequence 8.1) gives the EVSE {@link T_CONTACTOR_OPEN_MAX_MS} to switch the supply off.
 * - Unlatch: the tester presses the handle's release button (PP latched → unlatched, 150 Ω → 480 Ω on
 *   PP); a J3400 EVSE that reads PP stops charging at once, with the same 100 ms for the supply as a C→B
 *   stop. The tester's EV controller is not told (it goes on as if latched): the EVSE's reaction is judged.
 * - Pause and resume (ISO 15118-2 only): SessionStop (Pause), then a new connection with the same SessionID
 *   must be answered OK_OldSessionJoined. DIN 70121's SessionStopReq has no ChargingSession parameter:
 *   there is no pause to resume, so DIN has no such case.
 */
import { T_CONTACTOR_OPEN_MAX_MS } from "../../pilot/constants.js";
import type { ConformanceCase } from "../types.js";
import { answered, at, DIN_VOCABULARY, ISO2_VOCABULARY, type SeccVocabulary, seccCase } from "./shape.js";

/** IEC 61851-1 Annex A, sequence 8.1: state C→B ⇒ supply off within 100 ms. */
export const IEC_61851_C_TO_B = "IEC 61851-1 Annex A sequence 8.1 (C→B: supply off ≤ 100 ms)";

function j3400Cases(v: SeccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof seccCase>[2]) => seccCase(v.protocol, "j3400", x);
  return [
    c({
      id: `secc-${v.protocol}-j3400-001`,
      title: "EV opens S2 (CP C→B) in the charge loop without PowerDelivery Stop: output off within 100 ms",
      requirement: [
        IEC_61851_C_TO_B,
        `${v.standard} DC charging on a SAE J3400 connector: EV stop by CP state`,
      ],
      tester: { kind: "board", at: at("CurrentDemandReq", 3), action: "s2-open" },
      expect: { kind: "output-off", withinMs: T_CONTACTOR_OPEN_MAX_MS },
    }),
    c({
      id: `secc-${v.protocol}-j3400-003`,
      title:
        "the handle's release button pressed (PP latched → unlatched) in the charge loop: output off within 100 ms",
      requirement: [
        "SAE J3400 proximity: PP unlatched (button pressed) ⇒ stop charging",
        IEC_61851_C_TO_B,
        `${v.standard} DC charging on a SAE J3400 connector`,
      ],
      tester: { kind: "board", at: at("CurrentDemandReq", 3), action: "unlatch" },
      expect: { kind: "output-off", withinMs: T_CONTACTOR_OPEN_MAX_MS },
    }),
    ...(v.protocol === "iso2"
      ? [
          c({
            id: "secc-iso2-j3400-002",
            title: "pause (SessionStop Pause) and resume with the same SessionID: OK_OldSessionJoined",
            requirement: [
              "ISO 15118-2 SessionStopReq ChargingSession Pause",
              "ISO 15118-2 SessionSetupRes ResponseCode OK_OldSessionJoined",
            ],
            tester: { kind: "pause-resume", at: at("SessionSetupReq", 2) },
            expect: answered("SessionSetupRes", ["OK_OldSessionJoined"]),
          }),
        ]
      : []),
  ];
}

export const DIN_J3400: readonly ConformanceCase[] = j3400Cases(DIN_VOCABULARY);
export const ISO2_J3400: readonly ConformanceCase[] = j3400Cases(ISO2_VOCABULARY);
