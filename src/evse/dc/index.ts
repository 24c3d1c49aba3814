/** EVSE DC controller: power module, isolation monitor, AC/DC interlock, controller. */
export * from "./controller.js";
export * from "./interlock.js";
export * from "./isolation.js";
export * from "./power-module.js";
export * from "./types.js";
