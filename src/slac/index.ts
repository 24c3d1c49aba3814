/** SLAC (ISO 15118-3 over HomePlug Green PHY) wire formats and keys — pure code. */
export * from "./constants.js";
export { SlacError, type SlacErrorCode } from "./errors.js";
export { decodeSlacFrame, encodeSlacFrame, type SlacFrame, type VlanTag } from "./frame.js";
export {
  generateNmk,
  NID_ITERATIONS,
  NID_LENGTH,
  NID_SECURITY_LEVEL_SIMPLE_CONNECT,
  NMK_LENGTH,
  NMK_PASSWORD_ITERATIONS,
  NMK_PASSWORD_SALT,
  nidFromNmk,
  nmkFromPassword,
  type RandomSource,
} from "./keys.js";
export * from "./matching/index.js";
export { type DecodedMme, decodeMme, encodeMme, mmeLength, mmtypeOf, writeMme } from "./mme-codec.js";
export {
  type FieldKind,
  type FieldSpec,
  type KnownMmeKind,
  MME_KIND_BY_MMTYPE,
  MME_SCHEMAS,
  type Mme,
  type MmeHeader,
  type MmeOf,
  type UnknownMme,
} from "./mme-schema.js";
export { SHA256_DIGEST_LENGTH, sha256 } from "./sha256.js";

import type { MmeOf } from "./mme-schema.js";
/** CM_SET_KEY.REQ (host → own modem). */
export type CmSetKeyReq = MmeOf<"CM_SET_KEY.REQ">;
/** CM_SET_KEY.CNF. */
export type CmSetKeyCnf = MmeOf<"CM_SET_KEY.CNF">;
/** CM_AMP_MAP.REQ (layout status U). */
export type CmAmpMapReq = MmeOf<"CM_AMP_MAP.REQ">;
/** CM_AMP_MAP.CNF (layout status U). */
export type CmAmpMapCnf = MmeOf<"CM_AMP_MAP.CNF">;
/** CM_SLAC_PARM.REQ (EV → broadcast). */
export type CmSlacParmReq = MmeOf<"CM_SLAC_PARM.REQ">;
/** CM_SLAC_PARM.CNF (EVSE → EV). */
export type CmSlacParmCnf = MmeOf<"CM_SLAC_PARM.CNF">;
/** CM_START_ATTEN_CHAR.IND (EV → all, ×3). */
export type CmStartAttenCharInd = MmeOf<"CM_START_ATTEN_CHAR.IND">;
/** CM_MNBC_SOUND.IND (EV → all, ×10). */
export type CmMnbcSoundInd = MmeOf<"CM_MNBC_SOUND.IND">;
/** CM_ATTEN_PROFILE.IND (EVSE modem → EVSE host). */
export type CmAttenProfileInd = MmeOf<"CM_ATTEN_PROFILE.IND">;
/** CM_ATTEN_CHAR.IND (EVSE → EV). */
export type CmAttenCharInd = MmeOf<"CM_ATTEN_CHAR.IND">;
/** CM_ATTEN_CHAR.RSP (EV → EVSE). */
export type CmAttenCharRsp = MmeOf<"CM_ATTEN_CHAR.RSP">;
/** CM_VALIDATE.REQ (EV → EVSE). */
export type CmValidateReq = MmeOf<"CM_VALIDATE.REQ">;
/** CM_VALIDATE.CNF (EVSE → EV). */
export type CmValidateCnf = MmeOf<"CM_VALIDATE.CNF">;
/** CM_SLAC_MATCH.REQ (EV → EVSE). */
export type CmSlacMatchReq = MmeOf<"CM_SLAC_MATCH.REQ">;
/** CM_SLAC_MATCH.CNF (EVSE → EV, carries NID and NMK). */
export type CmSlacMatchCnf = MmeOf<"CM_SLAC_MATCH.CNF">;
