/**
 * Hosts for the pure session machines: drive the SECC / EVCC machines over real connections
 * with real (or injected) timers and the physical port models, serve many SECC sessions from one process,
 * and discover + connect on the EV side. Node-only code.
 */

export { createVirtualClock, type VirtualClock } from "../../machine/index.js";
export { type Discovered, type DiscoverOptions, discoverAndConnect } from "./evcc-connect.js";
export { type EvccSession, type EvccSessionOptions, evccEnergyMode, runEvccSession } from "./evcc-session.js";
export {
  EvPlant,
  type EvPlantOptions,
  type EvseOutput,
  HOST_MODEL_STEP_MS,
  SeccPlant,
  type SeccPlantOptions,
} from "./plants.js";
export { type SeccServer, type SeccServerOptions, startSeccServer } from "./secc-server.js";
export {
  runSeccSession,
  type SeccSession,
  type SeccSessionOptions,
  seccEnergyModes,
} from "./secc-session.js";
export { type DriverEnd, type DriverSide, SessionDriver } from "./session-driver.js";
export { percentile, roundMs, type TimeStats, timeStats } from "./stats.js";
export type { ChargeMode, SessionSummary } from "./summary.js";
export {
  type HostWireEvent,
  type HostWireTap,
  sdpTap,
  tapFramePort,
  v2gtpTapEvents,
  type WireDir,
  wallClockMs,
} from "./wire-tap.js";
