/**
 * Control pilot (SAE J1772 / IEC 61851-1) and proximity (SAE J1772 / J3400, IEC 62196): analog circuit
 * model, EVSE-side state detection, duty ↔ current, J1772/J3400 PP and IEC 62196 Type 2 cable coding.
 * Pure, platform-neutral code.
 */
export * from "./circuit.js";
export * from "./classify.js";
export * from "./constants.js";
export * from "./detect.js";
export * from "./errors.js";
export * from "./pp-constants.js";
export * from "./proximity.js";
export * from "./pwm.js";
export * from "./tolerance.js";
export * from "./type2.js";
export * from "./types.js";
