/**
 * SLAC matching (ISO 15118-3): EV and EVSE state machines as pure
 * step functions, their timers/counters, the frame builders, and an in-memory medium + virtual clock
 * driver for fast tests.
 */
export * from "./constants.js";
export { requireMac, requireRange, SlacConfigError, type SlacConfigErrorCode } from "./errors.js";
export {
  type EvCandidate,
  type EvSlacConfig,
  type EvSlacPhase,
  type EvSlacResolvedConfig,
  type EvSlacState,
  evSlacStep,
  initialEvSlac,
  resolveEvSlacConfig,
} from "./ev.js";
export {
  type EvseSlacConfig,
  type EvseSlacPhase,
  type EvseSlacResolvedConfig,
  type EvseSlacState,
  evseSlacStep,
  initialEvseSlac,
  resolveEvseSlacConfig,
} from "./evse.js";
export type { EvseSession, EvseSessionPhase } from "./evse-session.js";
export { type ForwardedSlacEffect, forwardSlacEffect } from "./forward.js";
export {
  type Delivery,
  InMemoryMedium,
  type MediumLink,
  type MediumOptions,
  type MediumStats,
} from "./medium.js";
export {
  attenCharInd,
  attenCharRsp,
  attenProfileInd,
  meanDb,
  mnbcSoundInd,
  setKeyCnfFrame,
  setKeyReqFrame,
  slacMatchCnf,
  slacMatchReq,
  slacParmCnf,
  slacParmReq,
  startAttenCharInd,
  validateCnf,
  validateReq,
} from "./messages.js";
export { type Prng, seededPrng } from "./prng.js";
export {
  type CpStep,
  type RunSlacEv,
  type RunSlacEvse,
  type RunSlacOptions,
  type RunSlacResult,
  runSlac,
  type SlacOutcome,
  type StationReport,
} from "./run-slac.js";
export type * from "./types.js";
