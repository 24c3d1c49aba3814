/** Abstract SECC/EVCC ports and their simple pure models. */
export * from "./evcc-ports.js";
export * from "./models/battery.js";
export * from "./models/dc-plant.js";
export * from "./models/isolation-monitor.js";
export * from "./secc-ports.js";
