/** EV controllers and vehicle models: basic AC controller, on-board charger, traction battery. */
export * from "./basic-ac.js";
export * from "./battery.js";
export * from "./dc/index.js";
export * from "./obc.js";
