/**
 * Hosts of the EVSE and EV controllers: the controller hosts (controllers.ts), the live hosts on real
 * networks and boards (live-evse.ts, live-ev.ts, network/), their timing statistics and wire taps.
 * Node-only code.
 */

export { createVirtualClock, type VirtualClock } from "../../machine/index.js";
export { percentile, roundMs, type TimeStats, timeStats } from "./stats.js";
export {
  type HostWireEvent,
  type HostWireTap,
  sdpTap,
  tapFramePort,
  v2gtpTapEvents,
  type WireDir,
  wallClockMs,
} from "./wire-tap.js";
