/**
 * Raw Ethernet: AF_PACKET sockets on Linux through the N-API addon in native/ (needs root or
 * CAP_NET_RAW). Node-only code.
 */
export { loadRawAddon, RAW_ADDON_RELATIVE_PATH, type RawAddon, rawAddonPath } from "./addon.js";
export { RawEthernetError, type RawEthernetErrorCode } from "./errors.js";
export {
  type RawEthernetOptions,
  RawEthernetSocket,
  type RawInterfaceInfo,
  rawInterfaceInfo,
} from "./raw-socket.js";
