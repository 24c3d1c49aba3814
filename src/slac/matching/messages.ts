/**
 * Builders of the SLAC frames the matching state machines send (field values per EVerest libslac and pyslac,
 * and their conventions: station IDs all zero, AppType/SecType 0), plus the two modem-side frames an
 * in-memory QCA modem model answers with. Pure helpers; byte fields are fresh copies.
 */
import {
  ATTEN_CHAR_RESULT_SUCCESS,
  BROADCAST_MAC,
  SET_KEY_NEW_EKS,
  SET_KEY_PID_HLE,
  SET_KEY_RESULT_SUCCESS,
  SET_KEY_TYPE_NMK,
  SLAC_APPLICATION_TYPE_PEV_EVSE,
  SLAC_MATCH_CNF_MVF_LENGTH,
  SLAC_MATCH_REQ_MVF_LENGTH,
  SLAC_NUM_SOUNDS,
  SLAC_RESP_TYPE_OTHER_STATION,
  SLAC_SECURITY_TYPE_NONE,
  SLAC_TIMEOUT_100MS,
  STATION_ID_LENGTH,
  VALIDATE_SIGNAL_TYPE_S2_TOGGLE,
} from "../constants.js";
import type { SlacFrame } from "../frame.js";
import type { Mme } from "../mme-schema.js";

const APP = SLAC_APPLICATION_TYPE_PEV_EVSE;
const SEC = SLAC_SECURITY_TYPE_NONE;
const zeros = (n: number) => new Uint8Array(n);
const copy = (b: Uint8Array) => Uint8Array.from(b);

/** The broadcast MAC as bytes. */
export const broadcastMac = (): Uint8Array => Uint8Array.from(BROADCAST_MAC);

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lower-case hex, e.g. a MAC "0a1b2c3d4e5f" (used in timer ids and logs). */
export function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

function frame(dst: Uint8Array, src: Uint8Array, mme: Mme): SlacFrame {
  return { dst: copy(dst), src: copy(src), mme };
}

/** CM_SLAC_PARM.REQ, EV → broadcast. */
export function slacParmReq(evMac: Uint8Array, runId: Uint8Array): SlacFrame {
  return frame(broadcastMac(), evMac, {
    kind: "CM_SLAC_PARM.REQ",
    applicationType: APP,
    securityType: SEC,
    runId: copy(runId),
  });
}

/** CM_SLAC_PARM.CNF, EVSE → EV: sounds to broadcast, 10 sounds, 600 ms, results to the EV. */
export function slacParmCnf(evseMac: Uint8Array, evMac: Uint8Array, runId: Uint8Array): SlacFrame {
  return frame(evMac, evseMac, {
    kind: "CM_SLAC_PARM.CNF",
    msoundTarget: broadcastMac(),
    numSounds: SLAC_NUM_SOUNDS,
    timeOut: SLAC_TIMEOUT_100MS,
    respType: SLAC_RESP_TYPE_OTHER_STATION,
    forwardingSta: copy(evMac),
    applicationType: APP,
    securityType: SEC,
    runId: copy(runId),
  });
}

/** CM_START_ATTEN_CHAR.IND, EV → broadcast. */
export function startAttenCharInd(evMac: Uint8Array, runId: Uint8Array): SlacFrame {
  return frame(broadcastMac(), evMac, {
    kind: "CM_START_ATTEN_CHAR.IND",
    applicationType: APP,
    securityType: SEC,
    numSounds: SLAC_NUM_SOUNDS,
    timeOut: SLAC_TIMEOUT_100MS,
    respType: SLAC_RESP_TYPE_OTHER_STATION,
    forwardingSta: copy(evMac),
    runId: copy(runId),
  });
}

/** CM_MNBC_SOUND.IND, EV → broadcast; `count` = sounds still to come after this one. */
export function mnbcSoundInd(
  evMac: Uint8Array,
  runId: Uint8Array,
  count: number,
  rnd: Uint8Array,
): SlacFrame {
  return frame(broadcastMac(), evMac, {
    kind: "CM_MNBC_SOUND.IND",
    applicationType: APP,
    securityType: SEC,
    senderId: zeros(STATION_ID_LENGTH),
    count,
    runId: copy(runId),
    reserved: zeros(8),
    rnd: copy(rnd),
  });
}

/** CM_ATTEN_CHAR.IND, EVSE → EV, with the averaged profile. */
export function attenCharInd(
  evseMac: Uint8Array,
  evMac: Uint8Array,
  runId: Uint8Array,
  numSounds: number,
  aag: Uint8Array,
): SlacFrame {
  return frame(evMac, evseMac, {
    kind: "CM_ATTEN_CHAR.IND",
    applicationType: APP,
    securityType: SEC,
    sourceAddress: copy(evMac),
    runId: copy(runId),
    sourceId: zeros(STATION_ID_LENGTH),
    respId: zeros(STATION_ID_LENGTH),
    numSounds,
    numGroups: aag.length,
    aag: copy(aag),
  });
}

/** CM_ATTEN_CHAR.RSP, EV → EVSE, result success. */
export function attenCharRsp(evMac: Uint8Array, evseMac: Uint8Array, runId: Uint8Array): SlacFrame {
  return frame(evseMac, evMac, {
    kind: "CM_ATTEN_CHAR.RSP",
    applicationType: APP,
    securityType: SEC,
    sourceAddress: copy(evMac),
    runId: copy(runId),
    sourceId: zeros(STATION_ID_LENGTH),
    respId: zeros(STATION_ID_LENGTH),
    result: ATTEN_CHAR_RESULT_SUCCESS,
  });
}

/** CM_VALIDATE.REQ, EV → EVSE (S2 toggles; timer 0 on the first request). */
export function validateReq(
  evMac: Uint8Array,
  evseMac: Uint8Array,
  timer: number,
  result: number,
): SlacFrame {
  return frame(evseMac, evMac, {
    kind: "CM_VALIDATE.REQ",
    signalType: VALIDATE_SIGNAL_TYPE_S2_TOGGLE,
    timer,
    result,
  });
}

/** CM_VALIDATE.CNF, EVSE → EV. */
export function validateCnf(
  evseMac: Uint8Array,
  evMac: Uint8Array,
  toggleNum: number,
  result: number,
): SlacFrame {
  return frame(evMac, evseMac, {
    kind: "CM_VALIDATE.CNF",
    signalType: VALIDATE_SIGNAL_TYPE_S2_TOGGLE,
    toggleNum,
    result,
  });
}

/** CM_SLAC_MATCH.REQ, EV → EVSE. */
export function slacMatchReq(evMac: Uint8Array, evseMac: Uint8Array, runId: Uint8Array): SlacFrame {
  return frame(evseMac, evMac, {
    kind: "CM_SLAC_MATCH.REQ",
    applicationType: APP,
    securityType: SEC,
    mvfLength: SLAC_MATCH_REQ_MVF_LENGTH,
    pevId: zeros(STATION_ID_LENGTH),
    pevMac: copy(evMac),
    evseId: zeros(STATION_ID_LENGTH),
    evseMac: copy(evseMac),
    runId: copy(runId),
    reserved: zeros(8),
  });
}

/** CM_SLAC_MATCH.CNF, EVSE → EV, with NID and NMK. */
export function slacMatchCnf(
  evseMac: Uint8Array,
  evMac: Uint8Array,
  runId: Uint8Array,
  nid: Uint8Array,
  nmk: Uint8Array,
): SlacFrame {
  return frame(evMac, evseMac, {
    kind: "CM_SLAC_MATCH.CNF",
    applicationType: APP,
    securityType: SEC,
    mvfLength: SLAC_MATCH_CNF_MVF_LENGTH,
    pevId: zeros(STATION_ID_LENGTH),
    pevMac: copy(evMac),
    evseId: zeros(STATION_ID_LENGTH),
    evseMac: copy(evseMac),
    runId: copy(runId),
    reserved: zeros(8),
    nid: copy(nid),
    reserved2: 0,
    nmk: copy(nmk),
  });
}

/** CM_SET_KEY.REQ, host → own modem (for the link layer turning a `set-key` effect into a frame). */
export function setKeyReqFrame(
  hostMac: Uint8Array,
  modemMac: Uint8Array,
  nmk: Uint8Array,
  nid: Uint8Array,
  myNonce = 0,
): SlacFrame {
  return frame(modemMac, hostMac, {
    kind: "CM_SET_KEY.REQ",
    keyType: SET_KEY_TYPE_NMK,
    myNonce,
    yourNonce: 0,
    pid: SET_KEY_PID_HLE,
    prn: 0,
    pmn: 0,
    ccoCapability: 0,
    nid: copy(nid),
    newEks: SET_KEY_NEW_EKS,
    newKey: copy(nmk),
  });
}

/** CM_SET_KEY.CNF, modem → host (in-memory modem model). */
export function setKeyCnfFrame(
  modemMac: Uint8Array,
  hostMac: Uint8Array,
  result = SET_KEY_RESULT_SUCCESS,
): SlacFrame {
  return frame(hostMac, modemMac, {
    kind: "CM_SET_KEY.CNF",
    result,
    myNonce: 0,
    yourNonce: 0,
    pid: SET_KEY_PID_HLE,
    prn: 0,
    pmn: 0,
    ccoCapability: 0,
  });
}

/** CM_ATTEN_PROFILE.IND, modem → host: attenuation of one received sound (in-memory modem model). */
export function attenProfileInd(
  modemMac: Uint8Array,
  hostMac: Uint8Array,
  pevMac: Uint8Array,
  aag: Uint8Array,
): SlacFrame {
  return frame(hostMac, modemMac, {
    kind: "CM_ATTEN_PROFILE.IND",
    pevMac: copy(pevMac),
    numGroups: aag.length,
    reserved: 0,
    aag: copy(aag),
  });
}

/** Mean of a profile in dB (the figure an EV ranks EVSEs by). */
export function meanDb(aag: ArrayLike<number>): number {
  if (aag.length === 0) return Number.POSITIVE_INFINITY;
  let s = 0;
  for (let i = 0; i < aag.length; i++) s += aag[i]!;
  return s / aag.length;
}
