/** Scenarios: EVerest car-simulator commands and YAML / JSON / text scenario files, and the runner. */
export * from "./commands.js";
export * from "./interactive.js";
export * from "./parse.js";
export * from "./runner.js";
