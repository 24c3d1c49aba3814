/** EVSE controllers. Basic (PWM-only) AC charging: issue 2 §5, digest §1.3–§1.5. */
export * from "./basic-ac.js";
export * from "./dc/index.js";
export * from "./safety/index.js";
