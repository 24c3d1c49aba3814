/** supportedAppProtocol handshake: namespaces and the SECC/EVCC negotiation functions. */
export {
  ISO20_NAMESPACE,
  type Iso20Family,
  iso20FamilyOf,
  NS_DIN_70121,
  NS_ISO_15118_2,
  NS_ISO_15118_20_AC,
  NS_ISO_15118_20_DC,
  NS_TESLA_DIN_2018,
  PROTOCOL_VERSIONS,
  protocolOfNamespace,
  type V2gProtocol,
} from "./namespaces.js";
export { acceptedProtocol, buildAppProtocolReq, type SapSelection, selectAppProtocol } from "./select.js";
