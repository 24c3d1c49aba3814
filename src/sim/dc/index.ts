/** DC simulator: the DC power path, the named faults, the simulator and the session runner. */
export * from "./constants.js";
export * from "./controllers.js";
export * from "./dc-sim.js";
export * from "./faults.js";
export * from "./format.js";
export * from "./physics.js";
export * from "./scenario.js";
export * from "./session.js";
export * from "./wire.js";
