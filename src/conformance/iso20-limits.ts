/**
 * ISO 15118-20 SECC performance times the conformance harness measures by default (a profile may set its
 * own: `limits.performanceMs`). V2G_SECC_Sequence_Timeout (60 s, and 0.5 s after a charge-loop response,
 * [V2G20-1500] / [V2G20-1502]) is in src/v2g/session/timeouts.ts.
 */

/** V2G_SECC_Msg_Performance_Time in general, also PowerDeliveryRes: 1.5 s (ISO 15118-20 Table 215). */
export const ISO20_SECC_PERFORMANCE_TIME_DEFAULT_MS = 1_500;

/**
 * UNCONFIRMED: V2G_SECC_Msg_Performance_Time of DC_ChargeLoopRes, 0.25 s (ISO 15118-20 Table 217 as one
 * public reading gives it), also applied to AC_ChargeLoopRes, whose figure no public source gives. Set
 * `limits.performanceMs.DC_ChargeLoopRes` / `AC_ChargeLoopRes` in the profile when the SUT's is known.
 */
export const ISO20_SECC_PERFORMANCE_TIME_CHARGE_LOOP_MS = 250;
