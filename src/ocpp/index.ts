/** OCPP 2.0.1 charging-station logic (pure): the station machine, charging profiles, stop reasons. */
export * from "./profiles.js";
export { STATION_ACTIONS } from "./requests.js";
export { createStation, type StationState, type StationTx, stepStation } from "./station.js";
export { isoTime } from "./station-state.js";
export { ocpp16StopReason, ocppStopReason, type Reason16 } from "./stop-reasons.js";
export * from "./types.js";
