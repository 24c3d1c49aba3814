/** Abstract SECC/EVCC ports: what the session machines read and command, as plain data. */
export * from "./evcc-ports.js";
export * from "./secc-ports.js";
