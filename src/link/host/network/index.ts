/**
 * Live network ports of the EVSE and EV controllers (`nacs evse` / `nacs ev` on a real interface or
 * loopback): SLAC frames, SDP datagrams (ISO 15118-2 §7.10.1) and the V2G TCP/TLS connection, as the
 * `network` port of createEvseHost / createEvHost. Node-only code.
 */
export { type EvNetwork, type EvNetworkOptions, startEvNetwork } from "./ev-network.js";
export { type EvseNetwork, type EvseNetworkOptions, startEvseNetwork } from "./evse-network.js";
export {
  type ConnectionTally,
  copyConnectionTally,
  emptyConnectionTally,
  formatConnectionTally,
  GATE_MAX_PENDING,
  type RefusedConnections,
  refusedTotal,
} from "./gate.js";
export { emptyNetworkStats, type NetworkStats, type V2gWireHook } from "./shared.js";
