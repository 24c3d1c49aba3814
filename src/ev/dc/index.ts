/** EV DC controller (issue 6 §3): battery/BMS model and the EVCC-based controller. */
export * from "./battery.js";
export * from "./controller.js";
export * from "./types.js";
