/**
 * `--charge-loop-ms` of `nacs simulate` and `nacs ev --fleet`: the EV's pause between charge-loop requests
 * (CurrentDemandReq, DC_ChargeLoopReq), from 20 ms up to 50 ms below the EVSE's charge-loop watchdog (ISO
 * 15118-20 V2G_SECC_Sequence_Timeout_DC_CL, 0.5 s), so a request always arrives in time. Default
 * {@link DC_CURRENT_DEMAND_INTERVAL_MS}.
 */
import { DC_CURRENT_DEMAND_INTERVAL_MS } from "../ev/dc/types.js";
import { EVSE_CHARGE_LOOP_WATCHDOG_MS } from "../evse/dc/types.js";

export const MIN_CHARGE_LOOP_MS = 20;
export const MAX_CHARGE_LOOP_MS = EVSE_CHARGE_LOOP_WATCHDOG_MS - 50;
export const DEFAULT_CHARGE_LOOP_MS = DC_CURRENT_DEMAND_INTERVAL_MS;
