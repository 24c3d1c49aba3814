/** Session record (NDJSON events) and the HTML/SVG plot built from it (issue 6 §6). Pure code. */

export * from "./plot.js";
export * from "./types.js";
