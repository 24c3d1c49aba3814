/**
 * TLS V2G transport. TLS 1.2 for ISO 15118-2 / DIN 70121 (the default, unchanged), TLS 1.3 for ISO 15118-20
 * (`versions: ["1.3"]`, profile and mutual TLS in `tls13.ts`), or both on one port (`["1.2","1.3"]`: the
 * server reads the ClientHello's `supported_versions` and hands the connection to its TLS 1.3 or its
 * TLS 1.2 context, each with its own certificate — OpenSSL keeps one ECDSA certificate per context, and
 * the -2 leaf is P-256 while the -20 leaf is P-521).
 *
 * TLS 1.2 (ISO 15118-2 §7.7.3.x): the SECC presents its leaf certificate and the
 * CPO sub-CA chain; the EVCC trusts only the V2G root(s) and refuses any other chain with a
 * {@link TlsTrustError}. `keylogFile` appends NSS key-log lines ("CLIENT_RANDOM …") so Wireshark can
 * decrypt captured sessions (the CLI's `--tls-keylog FILE`).
 *
 * Several server chains, one per V2G root (`chains`, `root`; [V2G2-871]): the server reads the whole
 * ClientHello first (`tls-route.ts`) and hands the connection to the chain whose root its `trusted_ca_keys`
 * names, else to the default chain ([V2G2-923]). OCSP stapling: `ocsp` per chain (the SECC), `ocsp` mode
 * (the EVCC, `tls-ocsp.ts`); status_request only — Node has no status_request_v2.
 *
 * Cipher suites: ISO 15118-2 allows exactly TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256 (0xC025, static ECDH)
 * and TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 (0xC023), both on secp256r1. Node's OpenSSL (3.0.x, Node 20)
 * has only the ECDHE one: static-ECDH suites were removed in OpenSSL 1.1.0 — neither
 * `tls.getCiphers()` nor `openssl ciphers ALL` lists ECDH-ECDSA-AES128-SHA256. An EVCC offering only 0xC025
 * therefore cannot talk to us (handshake failure, logged); all real EVCCs we know offer 0xC023 too.
 */
import { createHash } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import {
  createServer as createTlsServer,
  type TLSSocket,
  type Server as TlsNodeServer,
  connect as tlsConnectSocket,
} from "node:tls";
import { realClock } from "../machine/index.js";
import { checkReceiveOptions } from "./connection-core.js";
import { LinkError, TlsTrustError } from "./errors.js";
import { type LinkLogger, silentLogger } from "./logger.js";
import { listenV2g, ServerCore } from "./server.js";
import { wrapSocket } from "./socket-connection.js";
import {
  LINK_CONNECT_TIMEOUT_MS,
  LINK_MAX_PENDING_HANDSHAKES,
  LINK_SECC_SETUP_TIMEOUT_MS,
  setupTimeoutOf,
  type TcpConnectOptions,
  type TcpServerOptions,
} from "./tcp.js";
import type { OcspStaple, Pem, TlsClientConfig, TlsServerConfig } from "./tls-config.js";
import { checkStapledOcsp, OCSP_MODES, type StapleOutcome } from "./tls-ocsp.js";
import {
  clientProfile,
  common,
  ISO15118_2_TLS_CIPHERS,
  profile13,
  X509_VERIFY_CODES,
} from "./tls-profile.js";
import {
  type ChainAnchor,
  type ChainChoice,
  chooseChain,
  type PeekedHello,
  peekClientHello,
} from "./tls-route.js";
import {
  checkIso20SeccCertificate,
  checkTlsVersions,
  ISO15118_20_REQUIRE_CLIENT_CERT,
  ISO15118_20_TLS_VERSION,
  TLS13_WIRE_VERSION,
  type TlsVersion,
} from "./tls13.js";
import type { LinkEndpoint, ServerRefusal, TlsInfo, V2gConnection, V2gServer } from "./types.js";

export type {
  OcspStaple,
  Pem,
  SeccChain,
  Tls13ServerConfig,
  TlsClientConfig,
  TlsServerConfig,
} from "./tls-config.js";
export {
  ISO15118_2_STATIC_ECDH_CIPHER,
  ISO15118_2_TLS_CIPHERS,
  ISO15118_2_TLS_CURVE,
  ISO15118_2_TLS_SIGALGS,
  ISO15118_2_TLS_VERSION,
} from "./tls-profile.js";

/**
 * Server: drop an accepted TCP connection whose TLS handshake has not finished this long after accept (ms):
 * the SECC's communication setup bound {@link LINK_SECC_SETUP_TIMEOUT_MS} (18 s, ISO 15118-2 [V2G2-723]),
 * of which the handshake is the first part. Measured from accept, not from the last byte, so a peer
 * dribbling a ClientHello byte by byte is dropped all the same.
 */
export const LINK_TLS_HANDSHAKE_TIMEOUT_MS = LINK_SECC_SETUP_TIMEOUT_MS;

/** Returns a `keylog` listener that appends each NSS key-log line to `file` (synchronously, in order). */
export function keylogAppender(file: string): (line: Buffer) => void {
  return (line) => appendFileSync(file, line);
}

function tlsInfo(s: TLSSocket, clientCertRequested = false): TlsInfo {
  const info: TlsInfo = { protocol: s.getProtocol() ?? "", cipher: s.getCipher()?.name ?? "" };
  const peer = s.getPeerCertificate();
  const cn = peer?.subject?.CN;
  if (typeof cn === "string") info.peerCommonName = cn;
  if (peer?.raw?.length) info.peerCertSha512 = createHash("sha512").update(peer.raw).digest("hex");
  if (clientCertRequested) info.peerAuthorized = s.authorized;
  return info;
}

/** One server chain as {@link startTlsServer} builds it; `field` names it in errors. */
interface ChainSpec {
  key: Pem;
  cert: Pem;
  root?: Pem | undefined;
  ocsp?: OcspStaple | undefined;
  field: string;
}

/** A connection accepted by the TLS server whose handshake has not finished. */
interface PendingHandshake {
  /** {@link socketKey} taken at accept (a destroyed socket no longer knows its remote address). */
  key: string;
  raw: Socket;
  remote: LinkEndpoint;
  atMs: number;
  timer: unknown;
}

/** "address|port": the key of an accepted socket (unique among the server's open connections). */
function socketKey(s: { remoteAddress?: string | undefined; remotePort?: number | undefined }): string {
  return `${s.remoteAddress ?? ""}|${s.remotePort ?? 0}`;
}

function checkCount(name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 1)
    throw new LinkError("bad-option", `${name}: ${v}, must be an integer ≥ 1`);
  return n;
}

/**
 * Start a TLS V2G server (SECC): TLS 1.2 by default, TLS 1.3 or both per `tls.versions`. Connections are
 * reported after a successful handshake; those that fail it, close during it, or do not finish it within
 * the handshake bound are destroyed and reported to `onRefused` instead. After the handshake the rest of
 * the setup bound is left for the first V2GTP message.
 */
export async function startTlsServer(opts: TcpServerOptions & { tls: TlsServerConfig }): Promise<V2gServer> {
  checkReceiveOptions(opts);
  const versions = checkTlsVersions("tls.versions", opts.tls.versions);
  const t13 = opts.tls.tls13;
  if (versions.includes("1.3") && !t13)
    throw new LinkError("bad-option", "tls.tls13: TLS 1.3 needs the ISO 15118-20 key and certificate chain");
  const requireClientCert = t13?.requireClientCert ?? ISO15118_20_REQUIRE_CLIENT_CERT;
  if (versions.includes("1.3") && requireClientCert && t13?.clientCa === undefined)
    throw new LinkError(
      "bad-option",
      "tls.tls13.clientCa: mutual TLS (requireClientCert) needs the roots of the vehicle certificates",
    );
  const log: LinkLogger = opts.logger ?? silentLogger;
  const setupMs = setupTimeoutOf(opts);
  const handshakeMs = setupTimeoutOf({ setupTimeoutMs: opts.tls.handshakeTimeoutMs ?? setupMs });
  const maxPending = checkCount(
    "maxPendingHandshakes",
    opts.tls.maxPendingHandshakes,
    LINK_MAX_PENDING_HANDSHAKES,
  );
  const timers = opts.timers ?? realClock;
  // Node's own handshake timer restarts on every byte received and, once it fires, only emits
  // tlsClientError without closing the socket: the bound is ours (below).
  // One tls.Server per chain (index 0 = the default chain): OpenSSL keeps one ECDSA certificate per context.
  const chains12: ChainSpec[] = versions.includes("1.2")
    ? [
        { ...opts.tls, field: "tls" },
        ...(opts.tls.chains ?? []).map((c, i) => ({ ...c, field: `tls.chains[${i}]` })),
      ]
    : [];
  const chains13: ChainSpec[] =
    t13 && versions.includes("1.3")
      ? [
          { ...t13, field: "tls.tls13" },
          ...(t13.chains ?? []).map((c, i) => ({ ...c, field: `tls.tls13.chains[${i}]` })),
        ]
      : [];
  const servers12 = chains12.map((c) =>
    createTlsServer({
      ...common,
      key: c.key,
      cert: c.cert,
      ciphers: opts.tls.ciphers ?? ISO15118_2_TLS_CIPHERS,
      handshakeTimeout: 0,
      requestCert: false,
    }),
  );
  const servers13 = chains13.map((c) =>
    createTlsServer({
      ...profile13(t13!),
      key: c.key,
      cert: c.cert,
      handshakeTimeout: 0,
      // [V2G20-2400]: the SECC always sends a CertificateRequest.
      requestCert: true,
      rejectUnauthorized: requireClientCert,
      ...(t13!.clientCa !== undefined ? { ca: t13!.clientCa } : {}),
    }),
  );
  const withRoot = [...chains12, ...chains13].some((c) => c.root !== undefined);
  // The anchors' identifiers are read with @peculiar/asn1-x509, loaded only when there are roots.
  const anchorOf = withRoot ? (await import("./tls-anchor.js")).chainAnchor : undefined;
  const anchors = (list: ChainSpec[]) =>
    list.map((c) => (c.root !== undefined ? anchorOf!(c.root, `${c.field}.root`) : undefined));
  const anchors12 = anchors(chains12);
  const anchors13 = anchors(chains13);
  const all = [...servers12, ...servers13];
  /** A single chain without a root needs no look at the ClientHello: the TLS server listens itself. */
  const only = all.length === 1 && !withRoot ? all[0]! : undefined;
  /** Otherwise a plain TCP listener reads the ClientHello and hands the socket to one of them. */
  const listener: Server = only ?? createNetServer();
  /** Accepted, handshake not finished; insertion order = accept order. */
  const pending = new Map<string, PendingHandshake>();
  const port = await listenV2g(listener, opts.host, opts.port);
  const core = new ServerCore("tls", { address: opts.host, port }, log, () => {
    for (const p of [...pending.values()]) drop(p, null);
    return new Promise<void>((r) => listener.close(() => r()));
  });
  /** Forget a pending handshake; with a refusal: report it and destroy the socket. */
  function drop(p: PendingHandshake, refusal: Omit<ServerRefusal, "remote"> | null): void {
    if (pending.get(p.key) !== p) return;
    pending.delete(p.key);
    if (p.timer !== undefined) timers.clearTimeout(p.timer);
    if (refusal) core.refuse({ ...refusal, remote: p.remote });
    p.raw.destroy();
  }
  function accepted(raw: Socket): PendingHandshake {
    const remote = { address: raw.remoteAddress ?? "", port: raw.remotePort ?? 0 };
    while (pending.size >= maxPending) {
      const oldest = pending.values().next().value as PendingHandshake;
      drop(oldest, {
        kind: "overload",
        detail: `${maxPending} TLS handshakes pending: the oldest is dropped for a new connection`,
      });
    }
    const p: PendingHandshake = { key: socketKey(raw), raw, remote, atMs: timers.now(), timer: undefined };
    if (handshakeMs > 0)
      p.timer = timers.setTimeout(
        () =>
          drop(p, {
            kind: "setup-timeout",
            detail: `no TLS session within ${handshakeMs} ms of accept`,
          }),
        handshakeMs,
      );
    pending.set(p.key, p);
    raw.once("close", () =>
      drop(p, { kind: "tls-handshake", detail: "closed by the peer during the TLS handshake" }),
    );
    return p;
  }
  if (only) only.on("connection", accepted);
  else
    listener.on("connection", (raw: Socket) => {
      const p = accepted(raw);
      peekClientHello(raw, (peeked) => {
        if (pending.get(p.key) !== p) return;
        const hello = peeked.kind === "hello" ? peeked.hello : undefined;
        // TLS 1.3 when the client offers it (RFC 8446 §4.2.1); anything else goes to the TLS 1.2 side.
        const offers13 = hello?.supportedVersions?.includes(TLS13_WIRE_VERSION) === true;
        const use13 = servers13.length > 0 && (offers13 || servers12.length === 0);
        const choice = chooseChain(hello?.trustedCaKeys, use13 ? anchors13 : anchors12);
        logChoice(p, choice, use13 ? anchors13 : anchors12, peeked);
        (use13 ? servers13 : servers12)[choice.chain]!.emit("connection", raw);
      });
    });
  function logChoice(
    p: PendingHandshake,
    c: ChainChoice,
    anchors: readonly (ChainAnchor | undefined)[],
    peeked: PeekedHello,
  ): void {
    const remote = `[${p.remote.address}]:${p.remote.port}`;
    if (peeked.kind === "bad") {
      log.debug({ remote, err: peeked.error.message }, `link: tls ${remote}: ${peeked.error.message}`);
      return;
    }
    if (c.offered === undefined) return;
    const root = anchors[c.chain]?.subject;
    const what = c.entry
      ? `entry ${c.entry.index} (${c.entry.kind}) names root ${root}: chain ${c.chain} ([V2G2-871])`
      : `none of ${c.offered} entries names a root we hold: default chain ([V2G2-923])`;
    log.info(
      { remote, trustedCaKeys: c.offered, chain: c.chain, ...(c.entry ? { entry: c.entry, root } : {}) },
      `link: tls ${remote}: trusted_ca_keys ${what}`,
    );
  }
  // Node's setSecureContext builds the context from these options alone: the profile goes with the new chain
  const default12 = servers12[0];
  if (default12 && opts.tls.swap)
    opts.tls.swap((c) => {
      default12.setSecureContext({
        ...common,
        key: c.key,
        cert: c.cert,
        ciphers: opts.tls.ciphers ?? ISO15118_2_TLS_CIPHERS,
      });
      log.info({}, "link: tls: the SECC certificate chain was replaced; the next handshakes present it");
    });
  for (const [i, s] of servers12.entries()) wire(s, false, chains12[i]!.ocsp);
  for (const [i, s] of servers13.entries()) wire(s, true, chains13[i]!.ocsp);
  function wire(server: TlsNodeServer, certRequested: boolean, ocsp: OcspStaple | undefined): void {
    if (opts.tls.keylogFile) server.on("keylog", keylogAppender(opts.tls.keylogFile));
    // RFC 6066 §8: staple the leaf's OCSP response when the client sends status_request. Node/OpenSSL
    // have no status_request_v2 (RFC 6961), which ISO 15118-2 names ([V2G2-871]): one response, the leaf's.
    if (ocsp !== undefined)
      server.on(
        "OCSPRequest",
        (_cert: Buffer, _issuer: Buffer, done: (e: Error | null, r?: Buffer) => void) => {
          const r = typeof ocsp === "function" ? ocsp() : ocsp;
          done(null, r ? Buffer.from(r.buffer, r.byteOffset, r.byteLength) : undefined);
        },
      );
    server.on("secureConnection", (s: TLSSocket) => {
      const p = pending.get(socketKey(s));
      if (!p && s.destroyed) return; // dropped (overload, timeout) as the handshake finished
      let setupLeft = 0;
      if (p) {
        pending.delete(p.key);
        if (p.timer !== undefined) timers.clearTimeout(p.timer);
        // The rest of the setup bound is for the first V2GTP message (at least 1 ms: the bound is on).
        if (setupMs > 0) setupLeft = Math.max(1, Math.ceil(setupMs - (timers.now() - p.atMs)));
      }
      const extra = {
        tls: tlsInfo(s, certRequested),
        ...(opts.timers ? { timers: opts.timers } : {}),
        ...(setupLeft > 0 ? { setupTimeoutMs: setupLeft } : {}),
      };
      core.add(wrapSocket(s, "tls", opts, extra));
    });
    server.on("tlsClientError", (err: Error & { code?: string }, s: TLSSocket) => {
      const where = `[${s.remoteAddress}]:${s.remotePort}`;
      const p = pending.get(socketKey(s));
      // Node does not close the socket on a handshake error it reports here: we do.
      s.destroy();
      if (!p) return; // already dropped (timeout, overload) or counted
      const peerGone = err.code === "ECONNRESET";
      log.warn(
        { remote: where, code: err.code, err: err.message },
        `link: tls handshake with ${where} failed: ${err.message}`,
      );
      drop(p, {
        kind: "tls-handshake",
        detail: peerGone
          ? "closed by the peer during the TLS handshake"
          : `TLS handshake failed: ${err.message}`,
      });
    });
    server.on("error", (e) => log.error({ err: e.message }, "link: tls server error"));
  }
  if (!only) listener.on("error", (e) => log.error({ err: e.message }, "link: tls server error"));
  const nChains = Math.max(servers12.length, servers13.length);
  log.info(
    { host: opts.host, port, versions, ...(nChains > 1 ? { chains: nChains } : {}) },
    `link: tls server (TLS ${versions.join(" + ")}${nChains > 1 ? `, ${nChains} server chains chosen by trusted_ca_keys` : ""}) listening on [${opts.host}]:${port}`,
  );
  return core;
}

/**
 * Connect to a TLS V2G server (EVCC). Rejects with {@link TlsTrustError} when the SECC chain does not verify
 * against `tls.ca` (code = OpenSSL's reason), with {@link LinkError} "tls-handshake" on other handshake
 * failures and "connect-failed" when TCP fails.
 */
export function tlsConnect(opts: TcpConnectOptions & { tls: TlsClientConfig }): Promise<V2gConnection> {
  try {
    checkReceiveOptions(opts);
  } catch (e) {
    return Promise.reject(e);
  }
  let versions: readonly TlsVersion[];
  try {
    versions = checkTlsVersions("tls.versions", opts.tls.versions);
    if ((opts.tls.cert === undefined) !== (opts.tls.key === undefined))
      throw new LinkError("bad-option", "tls.cert / tls.key: the vehicle certificate needs both");
  } catch (e) {
    return Promise.reject(e);
  }
  const ocspMode = opts.tls.ocsp ?? "off";
  if (!OCSP_MODES.includes(ocspMode))
    return Promise.reject(
      new LinkError("bad-option", `tls.ocsp: "${ocspMode}", must be ${OCSP_MODES.join(", ")}`),
    );
  const timeoutMs = opts.connectTimeoutMs ?? LINK_CONNECT_TIMEOUT_MS;
  const where = `[${opts.host}]:${opts.port}`;
  const check = opts.tls.checkSeccCertificate;
  let checkError: Error | undefined;
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnectSocket({
      ...clientProfile(versions, opts.tls),
      host: opts.host,
      port: opts.port,
      ca: opts.tls.ca,
      ...(opts.tls.cert !== undefined ? { cert: opts.tls.cert, key: opts.tls.key } : {}),
      rejectUnauthorized: true,
      ...(ocspMode !== "off" ? { requestOCSP: true } : {}),
      checkServerIdentity: (_host, cert) => {
        // ISO 15118-20 SECC leaf and chain rules on a TLS 1.3 session, then the caller's own check.
        const rule =
          socket.getProtocol() === ISO15118_20_TLS_VERSION ? checkIso20SeccCertificate(cert) : undefined;
        checkError = rule ?? check?.(cert);
        return checkError;
      },
    });
    if (opts.tls.keylogFile) socket.on("keylog", keylogAppender(opts.tls.keylogFile));
    let stapled: Buffer | undefined;
    if (ocspMode !== "off")
      socket.on("OCSPResponse", (r: Buffer) => {
        stapled = r;
      });
    let connected = false;
    const fail = (e: Error & { code?: string }) => {
      socket.destroy();
      if (e === checkError) {
        reject(new TlsTrustError("SECC_CERT_REJECTED", `tls ${where}: ${e.message}`, { cause: e }));
      } else if (e.code && X509_VERIFY_CODES.has(e.code)) {
        reject(
          new TlsTrustError(e.code, `tls ${where}: SECC certificate refused: ${e.code}: ${e.message}`, {
            cause: e,
          }),
        );
      } else if (connected) {
        reject(new LinkError("tls-handshake", `tls ${where}: handshake failed: ${e.message}`, { cause: e }));
      } else {
        reject(new LinkError("connect-failed", `tls connect ${where}: ${e.message}`, { cause: e }));
      }
    };
    const timer = setTimeout(() => fail(new Error(`no TLS session within ${timeoutMs} ms`)), timeoutMs);
    (socket as unknown as Socket).once("connect", () => {
      connected = true;
    });
    socket.once("error", (e) => {
      clearTimeout(timer);
      fail(e);
    });
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const done = (staple?: StapleOutcome) => {
        socket.removeAllListeners("error");
        const tls = tlsInfo(socket);
        if (staple) {
          tls.ocsp = staple.kind;
          (opts.logger ?? silentLogger).info(
            {
              ocsp: staple.kind,
              ...(staple.kind === "good" ? { nextUpdate: staple.nextUpdate?.toISOString() } : {}),
            },
            staple.kind === "good"
              ? `link: tls ${where}: OCSP staple for the SECC leaf checked: good${staple.nextUpdate ? ` until ${staple.nextUpdate.toISOString()}` : ""}`
              : `link: tls ${where}: no OCSP staple from the SECC (ocsp "prefer": going on)`,
          );
        }
        resolve(wrapSocket(socket, "tls", opts, opts.timers ? { tls, timers: opts.timers } : { tls }));
      };
      if (ocspMode === "off") return done();
      checkStapledOcsp(socket, stapled, ocspMode, (opts.tls.now ?? Date.now)(), where).then(
        done,
        (e: Error) => {
          socket.destroy();
          reject(e);
        },
      );
    });
  });
}
