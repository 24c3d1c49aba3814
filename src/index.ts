/**
 * `nacs`: the public API for Node — all of `nacs/core` (controllers, pilot/proximity, connectors, SLAC,
 * V2G, capture reader, EXI codecs) plus the Node transports. Browsers import `nacs/core` instead.
 */

// Platform-neutral API: pure state machines, wire formats and codecs (also `nacs/core`).
export * from "./core.js";
// Controller hosts: the EVSE / EV controller on the machine driver, effects routed to board and network ports.
export * from "./link/host/controllers.js";
// V2G transports for Node (ISO 15118-2): TCP and TLS 1.2 over IPv6, in-memory link, SDP server and client.
export * from "./link/index.js";
// Plug & Charge test PKI for Node (issue, write, read and inspect certificates) as the namespace `pki`.
export * as pki from "./link/pki/index.js";
