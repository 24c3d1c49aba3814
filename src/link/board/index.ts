/**
 * Board port: the line protocol between the host and the board that measures CP/PP and switches relays
 * (docs/board-protocol.md). Everything exported here is platform-neutral; the Node transports
 * (`parseBoardSpec`, `openBoardStream`, `socketBoardStream`) are in ./adapters.js.
 */
export * from "./board-endpoint.js";
export * from "./board-link.js";
export * from "./errors.js";
export * from "./line-splitter.js";
export * from "./mapping.js";
export * from "./protocol.js";
export * from "./stream.js";
