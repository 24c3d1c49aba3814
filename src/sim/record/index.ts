/** Session record (NDJSON events) and the HTML/SVG plot built from it. Pure code. */

export * from "./plot.js";
export * from "./types.js";
