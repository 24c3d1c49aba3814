/**
 * Simulator: virtual clock and event queue, seeded RNG, the cable model between the simulated
 * EVSE and EV, the basic-AC simulation and the session runner behind `nacs simulate`. Pure, platform-neutral.
 */
export * from "./ac-sim.js";
export * from "./cable.js";
export * from "./constants.js";
export * from "./rng.js";
export * from "./scenario.js";
export * from "./session.js";
export * from "./trace.js";
