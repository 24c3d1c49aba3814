/**
 * V2G transports: TCP and TLS 1.2 over IPv6, an in-memory link with the same interface, the
 * SDP server (SECC) and client (EVCC), link-local address helpers. Node-only code.
 */

export { ConnectionCore, isProtocolError, type TransportHooks } from "./connection-core.js";
export { LinkError, type LinkErrorCode, SdpTimeoutError, TlsTrustError } from "./errors.js";
export { findLinkLocalAddress, withScope } from "./iface.js";
export {
  createCaptureLogger,
  type LinkLogFn,
  type LinkLogger,
  type LogRecord,
  silentLogger,
} from "./logger.js";
export {
  createMemoryLink,
  createMemoryNetwork,
  type MemoryLinkOptions,
  type MemoryNetwork,
} from "./memory.js";
export { type SdpDiscoverOptions, type SdpDiscovery, sdpDiscover } from "./sdp-client.js";
export { chooseSdpSecurity, type SdpServer, type SdpServerOptions, startSdpServer } from "./sdp-server.js";
export { LINK_DYNAMIC_PORT_ATTEMPTS } from "./server.js";
export { LINK_CLOSE_GRACE_MS } from "./socket-connection.js";
export {
  LINK_CONNECT_TIMEOUT_MS,
  LINK_MAX_PENDING_HANDSHAKES,
  LINK_SECC_SETUP_TIMEOUT_MS,
  startTcpServer,
  type TcpConnectOptions,
  type TcpServerOptions,
  tcpConnect,
} from "./tcp.js";
export {
  ISO15118_2_STATIC_ECDH_CIPHER,
  ISO15118_2_TLS_CIPHERS,
  ISO15118_2_TLS_CURVE,
  ISO15118_2_TLS_SIGALGS,
  ISO15118_2_TLS_VERSION,
  keylogAppender,
  LINK_TLS_HANDSHAKE_TIMEOUT_MS,
  startTlsServer,
  type Tls13ServerConfig,
  type TlsClientConfig,
  type TlsServerConfig,
  tlsConnect,
} from "./tls.js";
export {
  type ClientHelloVersions,
  checkIso20SeccCertificate,
  checkTlsVersions,
  clientHelloVersions,
  ISO15118_20_ALLOW_WITHOUT_TLS13,
  ISO15118_20_MAX_CHAIN_CERTS,
  ISO15118_20_REQUIRE_CLIENT_CERT,
  ISO15118_20_TLS_CIPHERS,
  ISO15118_20_TLS_GROUPS,
  ISO15118_20_TLS_SIGALGS,
  ISO15118_20_TLS_VERSION,
  iso20AllowedOn,
  TLS_VERSIONS,
  TLS12_WIRE_VERSION,
  TLS13_WIRE_VERSION,
  type TlsVersion,
} from "./tls13.js";
export {
  type CloseCode,
  type CloseInfo,
  LINK_READ_TIMEOUT_MS,
  type LinkEndpoint,
  type LinkTransport,
  type ReceiveOptions,
  type ServerRefusal,
  type TlsInfo,
  type V2gConnection,
  type V2gServer,
} from "./types.js";
