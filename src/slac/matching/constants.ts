/**
 * ISO 15118-3 SLAC timers and counters (Annex A), one named constant each with the public code its value
 * is taken from: EVerest libslac (`slac.hpp`), pyslac (`enums.py`), ISO15118_3_TestEnv (`timer_cfg.cpp`),
 * EVerest Charger / EvseSlac. Values marked unconfirmed or derived (by us) say so. Milliseconds,
 * decibels and counts (the suffix says which). C_sequ_retry and T_step_EF live in `src/pilot/constants.ts`
 * (ISO 15118-3 [V2G3-M06-07]) and are imported from there, never duplicated.
 */
import { C_SEQU_RETRY, T_STEP_EF_MS } from "../../pilot/constants.js";
import { SLAC_NUM_SOUNDS, SLAC_TIMEOUT_100MS } from "../constants.js";

// ---------------------------------------------------------------- timers (TT_ = timeout, TP_ = period)

/** TT_EVSE_SLAC_init default: 5 % shown, wait this long for CM_SLAC_PARM.REQ. EVerest libslac (40 s). */
export const TT_EVSE_SLAC_INIT_MS = 40_000;
/** TT_EVSE_SLAC_init lower end of the standard's range (ISO15118_3_TestEnv uses it). */
export const TT_EVSE_SLAC_INIT_MIN_MS = 20_000;
/** TT_EVSE_SLAC_init upper end of the standard's range (pyslac uses it). */
export const TT_EVSE_SLAC_INIT_MAX_MS = 50_000;
/**
 * TT_EVSE_match_MNBC: EVSE collects sounds this long after the first CM_START_ATTEN_CHAR.IND; equals the
 * CM_SLAC_PARM.CNF TimeOut field (6 × 100 ms). EVerest libslac, pyslac.
 */
export const TT_EVSE_MATCH_MNBC_MS = SLAC_TIMEOUT_100MS * 100;
/** TT_EV_atten_results: EV collects CM_ATTEN_CHAR.IND this long after its first START_ATTEN_CHAR. EVerest libslac, pyslac. */
export const TT_EV_ATTEN_RESULTS_MS = 1200;
/** TT_match_sequence: EVSE waits this long for CM_START_ATTEN_CHAR.IND after CM_SLAC_PARM.CNF. EVerest libslac, pyslac. */
export const TT_MATCH_SEQUENCE_MS = 400;
/** TT_match_response: wait for a .CNF/.RSP before a retry. EVerest libslac, pyslac. */
export const TT_MATCH_RESPONSE_MS = 200;
/** TT_EVSE_match_session: EVSE waits this long for CM_SLAC_MATCH.REQ after CM_ATTEN_CHAR.RSP. EVerest libslac, pyslac. */
export const TT_EVSE_MATCH_SESSION_MS = 10_000;
/** TT_match_join: the logical network must be joined within this time after CM_SLAC_MATCH.CNF. EVerest libslac, ISO15118_3_TestEnv. */
export const TT_MATCH_JOIN_MS = 12_000;
/** TT_matching_repetition. pyslac, ISO15118_3_TestEnv (not used by the step functions). */
export const TT_MATCHING_REPETITION_MS = 10_000;
/** TT_matching_rate. pyslac, ISO15118_3_TestEnv (not used). */
export const TT_MATCHING_RATE_MS = 400;
/** TT_amp_map_exchange. ISO15118_3_TestEnv (CM_AMP_MAP not used). */
export const TT_AMP_MAP_EXCHANGE_MS = 200;
/** TP_amp_map_exchange. ISO15118_3_TestEnv (not used). */
export const TP_AMP_MAP_EXCHANGE_MS = 100;
/** TT_link_status_response. ISO15118_3_TestEnv (not used: link status comes as a modem event). */
export const TT_LINK_STATUS_RESPONSE_MS = 5000;
/** TP_EV_batch_msg_interval default (EVerest libslac 40 ms). */
export const TP_EV_BATCH_MSG_INTERVAL_MS = 40;
/** TP_EV_batch_msg_interval lower end (pyslac 20 ms). */
export const TP_EV_BATCH_MSG_INTERVAL_MIN_MS = 20;
/** TP_EV_batch_msg_interval upper end of the 20–50 ms range. */
export const TP_EV_BATCH_MSG_INTERVAL_MAX_MS = 50;
/** TP_match_response. ISO15118_3_TestEnv (not used). */
export const TP_MATCH_RESPONSE_MS = 100;
/** TP_match_sequence. ISO15118_3_TestEnv (not used). */
export const TP_MATCH_SEQUENCE_MS = 100;
/** TP_EV_SLAC_init (ISO15118_3_TestEnv codes 15 with the comment "10"); unconfirmed (not used). */
export const TP_EV_SLAC_INIT_MS = 10_000;
/** TP_link_ready_notification lower end. ISO15118_3_TestEnv (not used). */
export const TP_LINK_READY_NOTIFICATION_MIN_MS = 200;
/** TP_link_ready_notification upper end. ISO15118_3_TestEnv (not used). */
export const TP_LINK_READY_NOTIFICATION_MAX_MS = 1000;
/** TP_EV_match_session. ISO15118_3_TestEnv (not used). */
export const TP_EV_MATCH_SESSION_MS = 500;
/** TP_match_leave. ISO15118_3_TestEnv (not used). */
export const TP_MATCH_LEAVE_MS = 1000;

// ---------------------------------------------------------------- counters and thresholds

/** C_EV_start_atten_char_inds: CM_START_ATTEN_CHAR.IND sent 3 times. EVerest libslac. */
export const C_EV_START_ATTEN_CHAR_INDS = 3;
/** C_EV_match_MNBC: number of CM_MNBC_SOUND.IND (= CM_SLAC_PARM.CNF NumSounds). EVerest libslac. */
export const C_EV_MATCH_MNBC = SLAC_NUM_SOUNDS;
/** C_EV_match_retry: retries after a missing .CNF/.RSP (so 1 + 2 attempts). EVerest libslac, ISO15118_3_TestEnv. */
export const C_EV_MATCH_RETRY = 2;
/** C_conn_max_match. pyslac, ISO15118_3_TestEnv (not used: a whole-SLAC restart is the caller's choice). */
export const C_CONN_MAX_MATCH = 3;
/** C_sequ_retry (E/F + 5 % retries when no CM_SLAC_PARM.REQ came). [V2G3-M06-07], pyslac, ISO15118_3_TestEnv. */
export const C_SEQU_RETRY_COUNT = C_SEQU_RETRY;
/** C_EVSE_match_parallel: matching sessions an EVSE runs at once. ISO15118_3_TestEnv. */
export const C_EVSE_MATCH_PARALLEL = 5;
/** C_EV_match_signalattn_direct: highest average attenuation an EV accepts (direct). ISO15118_3_TestEnv; unconfirmed. */
export const C_EV_MATCH_SIGNALATTN_DIRECT_DB = 40;
/** C_EV_match_signalattn_indirect. ISO15118_3_TestEnv; unconfirmed (not used: indirect coupling not modelled). */
export const C_EV_MATCH_SIGNALATTN_INDIRECT_DB = 80;

// ---------------------------------------------------------------- validation (BCB toggles)

/** TP_EV_vald_state_duration default: each B/C half of a toggle. ISO15118_3_TestEnv (300 ms, range 200–400). */
export const TP_EV_VALD_STATE_DURATION_MS = 300;
/** TP_EV_vald_state_duration lower end. ISO15118_3_TestEnv. */
export const TP_EV_VALD_STATE_DURATION_MIN_MS = 200;
/** TP_EV_vald_state_duration upper end. ISO15118_3_TestEnv. */
export const TP_EV_VALD_STATE_DURATION_MAX_MS = 400;
/** TP_EV_vald_toggle lower end (whole toggle sequence). ISO15118_3_TestEnv. */
export const TP_EV_VALD_TOGGLE_MIN_MS = 600;
/** TP_EV_vald_toggle upper end. ISO15118_3_TestEnv. */
export const TP_EV_VALD_TOGGLE_MAX_MS = 3500;
/** TT_EVSE_vald_toggle: EVSE counts B→C→B toggles in this window. ISO15118_3_TestEnv, EVerest Charger. */
export const TT_EVSE_VALD_TOGGLE_MS = 3500;
/** C_EV_vald_nb_toggles default (range 1–3). ISO15118_3_TestEnv (value choice ours). */
export const C_EV_VALD_NB_TOGGLES = 1;
/** C_EV_vald_nb_toggles upper end. ISO15118_3_TestEnv. */
export const C_EV_VALD_NB_TOGGLES_MAX = 3;
/** T_vald_detect_time. ISO15118_3_TestEnv, EVerest Charger (not used: CP debouncing is src/pilot's job). */
export const T_VALD_DETECT_TIME_MS = 200;
/**
 * Unit of the CM_VALIDATE.REQ Timer field (second request): window = Timer × 100 ms. EVerest libslac ("toggle
 * window code"); unconfirmed (layout from memory). Our EVSE always counts for {@link TT_EVSE_VALD_TOGGLE_MS}.
 */
export const VALIDATE_TIMER_UNIT_MS = 100;

// ---------------------------------------------------------------- practice and our own choices

/** CM_SET_KEY.CNF wait (EvseSlac default). EVerest EvseSlac manifest. */
export const SET_KEY_TIMEOUT_MS = 1000;
/** T_step_EF as used by the EVSE E/F retry (re-export of the pilot constant). pyslac, EVerest Charger (`T_STEP_EF`). */
export const T_STEP_EF_SLAC_MS = T_STEP_EF_MS;
/**
 * How old a CM_SLAC_PARM.REQ may be when the EVSE, which received it before it saw the CP leave A (EV
 * started SLAC at plug-in, before the EVSE's debounced CP detection — Tesla order), still answers it.
 * Equal to TT_match_response: an answer later than that reaches an EV that already gave up on that
 * request. Derived by us (from {@link TT_MATCH_RESPONSE_MS}).
 */
export const EARLY_PARM_REQ_WINDOW_MS = TT_MATCH_RESPONSE_MS;

/** Latest time an EV can take from `start` to a "matched" or "failed" outcome (bound; see {@link evSlacBoundMs}). */
export interface EvSlacBoundInput {
  validation: boolean;
  modem: "none" | "qca";
}

/**
 * Upper bound of an EV SLAC run (derived by us): (1 + C_EV_match_retry) matching attempts, each
 * (1 + C_EV_match_retry) × TT_match_response for CM_SLAC_PARM plus TT_EV_atten_results; then optional
 * validation (first CM_VALIDATE.REQ: 1 + C_EV_match_retry tries, each at most TT_EVSE_vald_toggle +
 * TT_match_response when the EVSE is busy validating another EV; then the second request's toggle window
 * + TT_match_response), (1 + C_EV_match_retry) × TT_match_response for
 * CM_SLAC_MATCH, and with a modem SET_KEY_TIMEOUT + TT_match_join.
 */
export function evSlacBoundMs(o: EvSlacBoundInput): number {
  const tries = 1 + C_EV_MATCH_RETRY;
  const attempt = tries * TT_MATCH_RESPONSE_MS + TT_EV_ATTEN_RESULTS_MS;
  const window = TT_EVSE_VALD_TOGGLE_MS + TT_MATCH_RESPONSE_MS;
  const validation = o.validation ? tries * window + window : 0;
  const match = tries * TT_MATCH_RESPONSE_MS;
  const join = o.modem === "qca" ? SET_KEY_TIMEOUT_MS + TT_MATCH_JOIN_MS : 0;
  return tries * attempt + validation + match + join;
}

/**
 * Upper bound of an EVSE waiting for CM_SLAC_PARM.REQ before it gives up (derived by us):
 * (1 + C_sequ_retry) × TT_EVSE_SLAC_init + C_sequ_retry × T_step_EF (ISO 15118-3 [V2G3-M06-07]).
 */
export function evseNoParmBoundMs(slacInitMs: number = TT_EVSE_SLAC_INIT_MS): number {
  return (1 + C_SEQU_RETRY_COUNT) * slacInitMs + C_SEQU_RETRY_COUNT * T_STEP_EF_MS;
}
