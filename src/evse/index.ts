/**
 * EVSE controllers. Basic (PWM-only) AC charging (SAE J1772 / IEC 61851-1 Annex A control pilot:
 * duty cycle, 5 % HLC, Table A.6 timing).
 */
export * from "./basic-ac.js";
export * from "./dc/index.js";
export * from "./safety/index.js";
