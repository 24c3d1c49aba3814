/**
 * Connector catalogue: J3400, J1772, CCS1/2, Type 2, CHAdeMO, MCS, GB/T rows with their
 * ratings and sources (tags explained in `ratings.ts`), the J1772/CCS1 ↔ J3400 adapters, and `resolve()`.
 */
export { ADAPTER_IDS, ADAPTERS } from "./adapters.js";
export { CONNECTOR_IDS, CONNECTORS } from "./catalogue.js";
export { type ConnectorErrorCode, UnknownIdError } from "./errors.js";
export * from "./ratings.js";
export {
  adaptersFor,
  combine,
  getAdapter,
  getConnector,
  getDcVariant,
  inletKinds,
  mates,
  resolve,
} from "./resolve.js";
export type * from "./types.js";
