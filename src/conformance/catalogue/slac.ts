/**
 * SECC under test: SLAC (ISO 15118-3, the HomePlug Green PHY association of EV and EVSE), which DIN 70121 and
 * ISO 15118-2 share. One protocol-neutral ID family, `secc-slac-NNN`: the cases run once (on the first
 * protocol the SUT offers), since nothing in them depends on the V2G protocol that follows. The tester's EV
 * runs SLAC as `nacs ev` does; the SLAC frame interceptor (slac-interceptor.ts) deviates on the EV's
 * frames; the verdicts are on the EVSE's frames as the tester's frame port sees them (slac-verdict.ts).
 *
 * Figures (ISO 15118-3 timers and constants as the public implementations code them): TT_match_response 200 ms,
 * TT_match_sequence 400 ms, TT_EVSE_match_MNBC 600 ms (CM_SLAC_PARM.CNF TimeOut 6 × 100 ms), C_EV_match_MNBC
 * 10 sounds, 58 attenuation groups (HomePlug AV carrier groups). Requirement IDs where the public sources
 * name them ([V2G3-A09-16], [V2G3-A09-19], [V2G3-A09-36], [V2G3-A09-124]); otherwise the message and field,
 * or the timer / constant, by its ISO 15118-3 name.
 */
import { SLAC_NUM_SOUNDS, SLAC_RESP_TYPE_OTHER_STATION, SLAC_TIMEOUT_100MS } from "../../slac/constants.js";
import {
  TT_EVSE_MATCH_MNBC_MS,
  TT_MATCH_RESPONSE_MS,
  TT_MATCH_SEQUENCE_MS,
} from "../../slac/matching/constants.js";
import type { ConformanceCase, SlacCheck, SlacTesterBehaviour } from "../types.js";

/** The number of attenuation groups of CM_ATTEN_CHAR.IND (HomePlug Green PHY: 58 carrier groups). */
export const SLAC_AAG_GROUPS = 58;
/** The second EV of the crosstalk case: a locally administered MAC and the RunID "SECONDEV". */
export const SECOND_EV_MAC = "02c0ffee0002";
export const SECOND_EV_RUN_ID = "5345434f4e444556";

const PARM = "ISO 15118-3 CM_SLAC_PARM.CNF";
const ATTEN = "ISO 15118-3 CM_ATTEN_CHAR.IND";
const MATCH = "ISO 15118-3 CM_SLAC_MATCH.CNF";
const matched: SlacCheck = { kind: "matched" };

function slacCase(c: {
  id: string;
  title: string;
  requirement: string[];
  slac: SlacTesterBehaviour;
  checks: SlacCheck[];
  knownDeviation?: string;
}): ConformanceCase {
  const { checks, ...rest } = c;
  return {
    ...rest,
    sut: "secc",
    protocols: ["din", "iso2", "iso20"],
    group: "slac",
    protocolNeutral: true,
    tester: { kind: "normal" },
    expect: { kind: "slac", checks },
  };
}

export const SLAC_CASES: readonly ConformanceCase[] = [
  slacCase({
    id: "secc-slac-001",
    title: "CM_SLAC_PARM.CNF to the EV: RunID echoed, ForwardingSTA the EV's MAC; matching completes",
    requirement: [`${PARM} RunID`, `${PARM} ForwardingSTA`],
    slac: { kind: "observe" },
    checks: [
      { kind: "field", frame: "CM_SLAC_PARM.CNF", path: "applicationType", oneOf: [0] },
      {
        kind: "echo",
        frame: "CM_SLAC_PARM.CNF",
        path: "runId",
        of: { frame: "CM_SLAC_PARM.REQ", path: "runId" },
      },
      {
        kind: "echo",
        frame: "CM_SLAC_PARM.CNF",
        path: "forwardingSta",
        of: { frame: "CM_SLAC_PARM.REQ", path: "src" },
      },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-002",
    title: "CM_SLAC_PARM.CNF M-SOUND_TARGET is the broadcast MAC FF:FF:FF:FF:FF:FF",
    requirement: [`${PARM} M-SOUND_TARGET`],
    slac: { kind: "observe" },
    checks: [{ kind: "field", frame: "CM_SLAC_PARM.CNF", path: "msoundTarget", oneOf: ["ffffffffffff"] }],
  }),
  slacCase({
    id: "secc-slac-003",
    title: `CM_SLAC_PARM.CNF NUM_SOUNDS ${SLAC_NUM_SOUNDS} (C_EV_match_MNBC), TIME_OUT ${SLAC_TIMEOUT_100MS} (TT_EVSE_match_MNBC ${TT_EVSE_MATCH_MNBC_MS} ms)`,
    requirement: [
      `${PARM} NUM_SOUNDS / TIME_OUT`,
      "ISO 15118-3 constant C_EV_match_MNBC, TT_EVSE_match_MNBC",
    ],
    slac: { kind: "observe" },
    checks: [
      { kind: "field", frame: "CM_SLAC_PARM.CNF", path: "numSounds", oneOf: [SLAC_NUM_SOUNDS] },
      { kind: "field", frame: "CM_SLAC_PARM.CNF", path: "timeOut", oneOf: [SLAC_TIMEOUT_100MS] },
    ],
  }),
  slacCase({
    id: "secc-slac-004",
    title: "CM_SLAC_PARM.CNF RESP_TYPE 0x01 (results to another station: the EV)",
    requirement: [`${PARM} RESP_TYPE`],
    slac: { kind: "observe" },
    checks: [
      { kind: "field", frame: "CM_SLAC_PARM.CNF", path: "respType", oneOf: [SLAC_RESP_TYPE_OTHER_STATION] },
    ],
  }),
  slacCase({
    id: "secc-slac-005",
    title: `CM_SLAC_PARM.CNF within TT_match_response (${TT_MATCH_RESPONSE_MS} ms) of CM_SLAC_PARM.REQ`,
    requirement: ["ISO 15118-3 timer TT_match_response", PARM],
    slac: { kind: "observe" },
    checks: [
      {
        kind: "within",
        frame: "CM_SLAC_PARM.CNF",
        after: { frame: "CM_SLAC_PARM.REQ" },
        withinMs: TT_MATCH_RESPONSE_MS,
      },
    ],
  }),
  slacCase({
    id: "secc-slac-006",
    title: "CM_ATTEN_CHAR.IND to the EV: SourceAddress the EV's MAC, RunID of its sounds",
    requirement: [`${ATTEN} SOURCE_ADDRESS / RunID`],
    slac: { kind: "observe" },
    checks: [
      {
        kind: "echo",
        frame: "CM_ATTEN_CHAR.IND",
        path: "sourceAddress",
        of: { frame: "CM_START_ATTEN_CHAR.IND", path: "src" },
      },
      {
        kind: "echo",
        frame: "CM_ATTEN_CHAR.IND",
        path: "runId",
        of: { frame: "CM_START_ATTEN_CHAR.IND", path: "runId" },
      },
    ],
  }),
  slacCase({
    id: "secc-slac-007",
    title: `CM_ATTEN_CHAR.IND NUM_SOUNDS ${SLAC_NUM_SOUNDS} (every sound counted), ${SLAC_AAG_GROUPS} attenuation groups`,
    requirement: ["[V2G3-A09-36]", `${ATTEN} NumSounds / ATTEN_PROFILE`],
    slac: { kind: "observe" },
    checks: [
      { kind: "field", frame: "CM_ATTEN_CHAR.IND", path: "numSounds", oneOf: [SLAC_NUM_SOUNDS] },
      { kind: "field", frame: "CM_ATTEN_CHAR.IND", path: "numGroups", oneOf: [SLAC_AAG_GROUPS] },
      { kind: "length", frame: "CM_ATTEN_CHAR.IND", path: "aag", length: SLAC_AAG_GROUPS },
    ],
  }),
  slacCase({
    id: "secc-slac-008",
    title: "CM_SLAC_MATCH.CNF: RunID, the EV's and the EVSE's MAC echoed, NID derived from the NMK",
    requirement: [`${MATCH} RunID / PEV MAC / NID / NMK`, "HomePlug AV: NID from NMK (security level 0)"],
    slac: { kind: "observe" },
    checks: [
      {
        kind: "echo",
        frame: "CM_SLAC_MATCH.CNF",
        path: "runId",
        of: { frame: "CM_SLAC_MATCH.REQ", path: "runId" },
      },
      {
        kind: "echo",
        frame: "CM_SLAC_MATCH.CNF",
        path: "pevMac",
        of: { frame: "CM_SLAC_MATCH.REQ", path: "src" },
      },
      {
        kind: "echo",
        frame: "CM_SLAC_MATCH.CNF",
        path: "evseMac",
        of: { frame: "CM_SLAC_MATCH.REQ", path: "evseMac" },
      },
      { kind: "nid-of-nmk", frame: "CM_SLAC_MATCH.CNF" },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-009",
    title: `EV silent after CM_SLAC_PARM.CNF (no CM_START_ATTEN_CHAR.IND) past TT_match_sequence (${TT_MATCH_SEQUENCE_MS} ms): no CM_ATTEN_CHAR.IND; the EV's next CM_SLAC_PARM.REQ is answered and matched`,
    requirement: ["ISO 15118-3 timer TT_match_sequence", "[V2G3-A09-124]"],
    slac: { kind: "silent-from", frame: "CM_START_ATTEN_CHAR.IND" },
    checks: [
      {
        kind: "none",
        frame: "CM_ATTEN_CHAR.IND",
        from: { frame: "CM_SLAC_PARM.REQ" },
        until: { frame: "CM_SLAC_PARM.REQ", occurrence: 2 },
      },
      {
        kind: "echo",
        frame: "CM_SLAC_PARM.CNF",
        occurrence: 2,
        path: "runId",
        of: { frame: "CM_SLAC_PARM.REQ", path: "runId" },
      },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-010",
    title: `only 3 of ${SLAC_NUM_SOUNDS} sounds: CM_ATTEN_CHAR.IND once TT_EVSE_match_MNBC (${TT_EVSE_MATCH_MNBC_MS} ms) is over, NUM_SOUNDS 3`,
    requirement: ["[V2G3-A09-19]", "ISO 15118-3 timer TT_EVSE_match_MNBC", `${ATTEN} NumSounds`],
    slac: { kind: "withhold", frame: "CM_MNBC_SOUND.IND", from: 4 },
    checks: [
      {
        kind: "within",
        frame: "CM_ATTEN_CHAR.IND",
        after: { frame: "CM_START_ATTEN_CHAR.IND" },
        withinMs: TT_EVSE_MATCH_MNBC_MS,
      },
      { kind: "field", frame: "CM_ATTEN_CHAR.IND", path: "numSounds", oneOf: [3] },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-011",
    title:
      "CM_SLAC_MATCH.REQ with a wrong RunID: no CM_SLAC_MATCH.CNF; the EV's retry with its RunID is matched",
    requirement: [`${MATCH} RunID`, "ISO 15118-3 CM_SLAC_MATCH.REQ RunID"],
    slac: { kind: "mutate", frame: "CM_SLAC_MATCH.REQ", set: { runId: "ffffffffffffffff" } },
    checks: [
      {
        kind: "none",
        frame: "CM_SLAC_MATCH.CNF",
        from: { frame: "CM_SLAC_MATCH.REQ" },
        until: { frame: "CM_SLAC_MATCH.REQ", occurrence: 2 },
      },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-012",
    title:
      "a second EV (another MAC) sends CM_SLAC_PARM.REQ during the tester's matching: answered with its own RunID; the tester's EV is matched, the second EV is not",
    requirement: [
      "ISO 15118-3 constant C_EVSE_match_parallel",
      `${PARM} RunID`,
      "ISO 15118-3 CM_SLAC_MATCH.CNF (one, to the EV of the match)",
    ],
    slac: {
      kind: "second-ev",
      after: "CM_START_ATTEN_CHAR.IND",
      mac: SECOND_EV_MAC,
      runIdHex: SECOND_EV_RUN_ID,
    },
    checks: [
      {
        kind: "echo",
        frame: "CM_SLAC_PARM.CNF",
        to: "second-ev",
        path: "runId",
        of: { frame: "CM_SLAC_PARM.REQ", path: "runId" },
      },
      { kind: "none", frame: "CM_SLAC_MATCH.CNF", to: "second-ev", from: { frame: "CM_SLAC_PARM.REQ" } },
      {
        kind: "echo",
        frame: "CM_SLAC_MATCH.CNF",
        path: "runId",
        of: { frame: "CM_SLAC_MATCH.REQ", path: "runId" },
      },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-013",
    title: "CM_SLAC_PARM.REQ sent twice: both answered (the matching session restarts), matching completes",
    requirement: ["[V2G3-A09-16]"],
    slac: { kind: "repeat", frame: "CM_SLAC_PARM.REQ" },
    checks: [
      {
        kind: "echo",
        frame: "CM_SLAC_PARM.CNF",
        occurrence: 2,
        path: "runId",
        of: { frame: "CM_SLAC_PARM.REQ", path: "runId" },
      },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-014",
    title:
      "CM_SLAC_PARM.REQ with SecurityType 0x01 (not 0x00 'no security'): not answered; the EV's retry is matched",
    requirement: ["ISO 15118-3 CM_SLAC_PARM.REQ SECURITY_TYPE 0x00 (no security)"],
    slac: { kind: "mutate", frame: "CM_SLAC_PARM.REQ", set: { securityType: 1 } },
    checks: [
      {
        kind: "none",
        frame: "CM_SLAC_PARM.CNF",
        from: { frame: "CM_SLAC_PARM.REQ" },
        until: { frame: "CM_SLAC_PARM.REQ", occurrence: 2 },
      },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-015",
    title: `no CM_ATTEN_CHAR.RSP: the EVSE repeats CM_ATTEN_CHAR.IND (after TT_match_response, ${TT_MATCH_RESPONSE_MS} ms)`,
    requirement: ["ISO 15118-3 constant C_EV_match_retry", `${ATTEN} (repeated without CM_ATTEN_CHAR.RSP)`],
    slac: { kind: "withhold", frame: "CM_ATTEN_CHAR.RSP", from: 1, count: 1 },
    checks: [
      {
        kind: "echo",
        frame: "CM_ATTEN_CHAR.IND",
        occurrence: 2,
        path: "runId",
        of: { frame: "CM_START_ATTEN_CHAR.IND", path: "runId" },
      },
      matched,
    ],
  }),
  slacCase({
    id: "secc-slac-016",
    title: `no sounds after CM_START_ATTEN_CHAR.IND: past TT_EVSE_match_MNBC (${TT_EVSE_MATCH_MNBC_MS} ms) no CM_ATTEN_CHAR.IND; the EV's next CM_SLAC_PARM.REQ is answered and matched`,
    requirement: ["ISO 15118-3 timer TT_EVSE_match_MNBC", "[V2G3-A09-124]"],
    slac: { kind: "withhold", frame: "CM_MNBC_SOUND.IND", from: 1, count: 10 },
    checks: [
      {
        kind: "none",
        frame: "CM_ATTEN_CHAR.IND",
        from: { frame: "CM_SLAC_PARM.REQ" },
        until: { frame: "CM_SLAC_PARM.REQ", occurrence: 2 },
      },
      {
        kind: "echo",
        frame: "CM_SLAC_PARM.CNF",
        occurrence: 2,
        path: "runId",
        of: { frame: "CM_SLAC_PARM.REQ", path: "runId" },
      },
      matched,
    ],
  }),
];
