/** OCPP 1.6J charge-point logic (pure): the station machine, its requests, 1.6 charging profiles. */
export { profileProblem16, toProfile201 } from "./profiles.js";
export { REMOTE_STOP_REASON_16, RESET_STOP_REASON_16, STATION_ACTIONS_16 } from "./requests.js";
export {
  createStation16,
  type StationState16,
  type StationTx16,
  stepStation16,
  tripErrorCode16,
} from "./station.js";
export * from "./types.js";
