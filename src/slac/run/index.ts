/**
 * Real-time SLAC: the EV and EVSE step functions driven over a frame port with real timers,
 * modem "none" (fixed sound attenuation, no modem replies) or "qca" (CM_SET_KEY to the modem, link polling).
 */
export * from "./constants.js";
export {
  type DriverEvent,
  driveSlac,
  type SlacDriverOptions,
  type SlacRun,
} from "./driver.js";
export { type ModemAdapter, noneModem, qcaLinkStatus, qcaLinkStatusReq, qcaModem } from "./modem.js";
export { createPortPair, type PortPair } from "./port-pair.js";
export {
  type EvSlacRunOptions,
  type EvseSlacRunOptions,
  startEvSlac,
  startEvseSlac,
} from "./start.js";
export type * from "./types.js";
