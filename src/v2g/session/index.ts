/**
 * V2G session machines: SECC and EVCC for DIN 70121 DC, ISO 15118-2 DC/AC and ISO 15118-20 DC (EIM) as pure
 * step functions, their events/effects, timing constants (DIN 70121 §9.6, ISO 15118-2 §8.8.2) and DC
 * physics. Whole sessions run in the EVSE and EV controllers (src/evse, src/ev) on any host.
 */
export * from "./dc-physics.js";
export { SessionError, type SessionErrorCode } from "./errors.js";
export { createEvcc, stepEvcc } from "./evcc.js";
export { dischargeDone, ISO20_DISCHARGE_DONE_WH } from "./evcc-ac20.js";
export {
  type ChargerLimitsVerdict,
  checkChargerLimits,
  EV_STOP_CHARGER_LIMITS,
  requestedDcCurrentA,
} from "./evcc-limits.js";
export {
  DEFAULT_EVCC_PACING,
  dischargingNow,
  EVCC_PRECHARGE_CURRENT_A,
  EVCC_WELDING_MAX_REQUESTS,
  type EvccConfig,
  type EvccPacing,
  type EvccState,
  type EvseView,
  evccConfig,
} from "./evcc-state.js";
export { evccMsgTimeoutMs } from "./evcc-timeouts.js";
export {
  emptyIso20Session,
  ISO20_SERVICE,
  ISO20_SERVICE_DC,
  ISO20_SERVICE_ID,
  type Iso20ControlMode,
  type Iso20ServiceName,
  type Iso20Session,
  isAcService,
  isBptService,
} from "./iso20-session.js";
export { DC_SESSION_PHASES, type DcSessionPhase, dcPhaseAfter } from "./phases.js";
export { type CommonUnit, num, pv } from "./physical.js";
export {
  MAX_SCHEDULE_ENTRIES,
  powerScheduleProblem,
  type ScheduleEntry,
  sameSchedule,
  scheduleEntries,
  wantsRenegotiation,
} from "./power-schedule.js";
export { createSecc, stepSecc } from "./secc.js";
export { CHARGE_SERVICE_ID, dcStatusCode } from "./secc-logic.js";
export {
  DEFAULT_NOTIFICATION_MAX_DELAY_S,
  type EnergyTransferMode,
  type EvView,
  isAcMode,
  type SeccConfig,
  type SeccState,
  seccConfig,
} from "./secc-state.js";
export { allowedNext, type SequencePosition } from "./sequence.js";
export { idHex, isZeroId, SESSION_ID_LENGTH, sameId } from "./session-id.js";
export * from "./timeouts.js";
export type {
  CommonEffect,
  EvccControl,
  EvccEffect,
  EvccEvent,
  MsgName,
  SeccControl,
  SeccEffect,
  SeccEvent,
  StopReason,
  TraceEffect,
} from "./types.js";
