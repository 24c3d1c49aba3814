/**
 * EVSE controllers. Basic (PWM-only) AC charging (SAE J1772 / IEC 61851-1 Annex A control pilot): digest
 * §1.3–§1.5.
 */
export * from "./basic-ac.js";
export * from "./dc/index.js";
export * from "./safety/index.js";
