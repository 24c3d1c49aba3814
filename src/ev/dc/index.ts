/** EV DC controller: battery/BMS model and the EVCC-based controller. */
export * from "./battery.js";
export * from "./controller.js";
export * from "./types.js";
