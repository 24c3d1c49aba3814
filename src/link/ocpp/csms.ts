/**
 * A small test CSMS (`nacs csms`): OCPP 2.0.1 and OCPP 1.6J over OCPP-J with `ocpp-rpc` in strict mode
 * (every CALL and CALLRESULT either way checked against the official JSON schemas of the subprotocol the
 * station chose, "ocpp2.0.1" first when it offers both). It accepts every station and token,
 * records everything it sends and receives (and every schema failure), and can be scripted
 * (csms-script.ts) or driven (`call`) to start and stop transactions and set charging profiles.
 */

import type { IncomingMessage } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import { RPCServer } from "ocpp-rpc";
import type { LocalCps } from "../../v2g/pnc/cps.js";
import { answerEvCertificate } from "./csms-certificates.js";
import { type CsmsV2gPki, certificateStatus, signV2gCsr } from "./csms-certs.js";
import { type CsmsStep, stepMatches, substitute } from "./csms-script.js";
import { answer16, energyOf } from "./csms16.js";
import { OcppLinkError } from "./errors.js";
import { warmOcppSchemas } from "./warm.js";

/** One record line: wall time, station, direction and what went over the wire (or went wrong). */
export interface CsmsRecord {
  t: string;
  identity: string;
  kind:
    | "connect"
    | "disconnect"
    | "call"
    | "result"
    | "error"
    | "schema-error"
    | "bad-message"
    | "auth-failed"
    | "script"
    /** What the CPS behind the CSMS answered an EV's certificate request (the contract, or the FAILED code). */
    | "cps";
  dir?: "rx" | "tx";
  action?: string;
  payload?: unknown;
  detail?: string;
}

/**
 * What the CSMS saw of one transaction: from its TransactionEvents (2.0.1), or from StartTransaction /
 * MeterValues / StopTransaction (1.6: events Started / Updated / Ended, triggerReason the message or the
 * meter values' context, seqNo their order).
 */
export interface CsmsTransaction {
  identity: string;
  /** The station's subprotocol ("ocpp2.0.1" or "ocpp1.6"). */
  protocol?: string;
  events: { eventType: string; triggerReason: string; seqNo: number; offline?: boolean }[];
  /** 1.6: StartTransaction meterStart and StopTransaction meterStop (Wh). */
  meterStartWh?: number;
  meterStopWh?: number;
  /** The last Energy.Active.Import.Register (Wh) reported, and the one of the Ended event. */
  lastEnergyWh: number | null;
  endedEnergyWh: number | null;
  stoppedReason: string | null;
}

/** The `--json` summary. */
export interface CsmsSummary {
  url: string;
  stations: string[];
  /** Each station's subprotocol (the last connection's). */
  protocols: Record<string, string>;
  messages: Record<string, number>;
  schemaErrors: number;
  badMessages: number;
  callErrors: number;
  /** Connections refused by the Basic-auth check (security profile 1). */
  authFailures: number;
  transactions: Record<string, CsmsTransaction>;
}

/** Options of the test CSMS. */
export interface CsmsOptions {
  port: number;
  host?: string;
  /** Endpoint path before the identity (default "/nacs"), only used to print the URL. */
  path?: string;
  heartbeatIntervalS?: number;
  /**
   * Security profile 1 (OCPP 2.0.1 Part 2 functional block A; HTTP Basic authentication, RFC 7617): the
   * password every station must give (its identity is the user name); absent = no authentication.
   */
  password?: string;
  /**
   * TLS (`wss://`): security profile 2 with the server certificate (and `password`), profile 3 with
   * `clientCerts`: every station must present a certificate that chains to `caPem` and whose subject CN is
   * its identity (OCPP 2.0.1 Part 2 §A00, security profile 3); the refusal is recorded with the reason.
   */
  tls?: { certPem: string; keyPem: string; caPem?: string; clientCerts?: boolean };
  script?: CsmsStep[];
  onRecord?: (r: CsmsRecord) => void;
  /** OCPP 1.6: the first transactionId this CSMS gives (default 1; a CSMS restarted must not reuse ids). */
  firstTransactionId16?: number;
  /**
   * The Certificate Provisioning Service behind this CSMS (`--v2g-pki DIR`): answers the EVs' ISO 15118-2
   * CertificateInstallationReq / CertificateUpdateReq the stations forward (Get15118EVCertificate; 1.6 in a
   * DataTransfer). Absent: those requests are answered Failed.
   */
  cps?: LocalCps;
  /**
   * `--v2g-pki DIR`: the CPO Sub-CA that signs the stations' V2G (SECC) certificates (A02 / A03) and
   * answers GetCertificateStatus about them (M06); without it both are refused (csms-certs.ts).
   */
  v2gPki?: CsmsV2gPki;
}

/** A running test CSMS. */
export interface Csms {
  readonly url: string;
  readonly port: number;
  readonly records: readonly CsmsRecord[];
  summary(): CsmsSummary;
  /** Send a CALL to a connected station ("$transactionId" substituted); resolves with its result. */
  call(identity: string, action: string, payload: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

type Client = {
  identity: string;
  protocol?: string;
  call(method: string, params: unknown): Promise<unknown>;
  handle(method: string, h: (o: { params: Record<string, unknown> }) => unknown): void;
  on(ev: string, f: (e: never) => void): void;
};

/**
 * Why a station's client certificate is refused (null: accepted): none presented, not chaining to the
 * CSMS's trusted root, or a subject CN other than the station's identity.
 */
export function clientCertProblem(socket: TLSSocket, identity: string): string | null {
  const peer = socket.getPeerCertificate?.();
  if (!peer || Object.keys(peer).length === 0) return "no client certificate (security profile 3)";
  if (!socket.authorized)
    return `client certificate not trusted: ${String(socket.authorizationError ?? "unknown reason")}`;
  const cn = peer.subject?.CN;
  if (cn !== identity)
    return `client certificate CN ${JSON.stringify(cn)} is not the station identity ${JSON.stringify(identity)}`;
  return null;
}

/** An HTTPS server for the WebSocket upgrades (404 for anything else), listening. */
async function listenTls(
  t: NonNullable<CsmsOptions["tls"]>,
  port: number,
  host: string,
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Promise<HttpsServer> {
  const srv = createHttpsServer(
    {
      cert: t.certPem,
      key: t.keyPem,
      ...(t.caPem !== undefined && { ca: t.caPem }),
      // the certificate is checked in the upgrade (its refusal is recorded with the reason)
      requestCert: t.clientCerts === true,
      rejectUnauthorized: false,
      minVersion: "TLSv1.2",
    },
    (_req, res) => {
      res.statusCode = 404;
      res.end();
    },
  );
  srv.on("upgrade", onUpgrade);
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen({ port, host }, () => resolve());
  });
  return srv;
}

/** Start the CSMS on `host:port` (0: any free port). Throws OcppLinkError("listen-failed"). */
export async function startCsms(o: CsmsOptions): Promise<Csms> {
  warmOcppSchemas();
  const server = new RPCServer({ protocols: ["ocpp2.0.1", "ocpp1.6"], strictMode: true });
  const records: CsmsRecord[] = [];
  const clients = new Map<string, Client>();
  const lastTx = new Map<string, string | number>();
  const protocols: Record<string, string> = {};
  let nextTxId16 = o.firstTransactionId16 ?? 1;
  const transactions: Record<string, CsmsTransaction> = {};
  const timers = new Set<NodeJS.Timeout>();
  const rec = (r: Omit<CsmsRecord, "t">) => {
    const full = { t: new Date().toISOString(), ...r };
    records.push(full);
    o.onRecord?.(full);
  };
  const pw = o.password;
  const clientCerts = o.tls?.clientCerts === true;
  if (pw !== undefined || clientCerts)
    server.auth((accept, reject, handshake) => {
      const refuse = (detail: string) => {
        rec({ identity: handshake.identity, kind: "auth-failed", detail });
        reject(401, "Unauthorized");
      };
      if (pw !== undefined && handshake.password?.toString("utf8") !== pw)
        return refuse("HTTP Basic authentication failed");
      if (clientCerts) {
        const why = clientCertProblem(handshake.request.socket as TLSSocket, handshake.identity);
        if (why) return refuse(why);
      }
      accept();
    });
  const now = () => new Date().toISOString();

  server.on("client", (c: Client) => {
    const id = c.identity;
    const protocol = c.protocol ?? "ocpp2.0.1";
    protocols[id] = protocol;
    clients.set(id, c);
    rec({ identity: id, kind: "connect", detail: protocol });
    let cursor = 0;
    const script = o.script ?? [];
    const runDue = (action: string, payload: unknown) => {
      // run every step now due, in order: a step without `when` follows the one before, its delay counted
      // from that one's (the delays add up)
      let wait = 0;
      while (cursor < script.length && stepMatches(script[cursor]!, action, payload)) {
        const step = script[cursor++]!;
        const fire = () => {
          const p = substitute(step.payload, { transactionId: lastTx.get(id), identity: id }) as Record<
            string,
            unknown
          >;
          rec({
            identity: id,
            kind: "script",
            action: step.call,
            detail: `step ${script.indexOf(step) + 1}`,
          });
          c.call(step.call, p).catch(() => {
            // recorded by the callError / strictValidationFailure events
          });
        };
        wait += step.delayMs ?? 0;
        if (wait > 0) {
          const t = setTimeout(() => {
            timers.delete(t);
            fire();
          }, wait);
          timers.add(t);
        } else fire();
        action = "";
      }
    };
    c.on("call", (e: { outbound: boolean; payload: unknown[] }) =>
      rec({
        identity: id,
        kind: "call",
        dir: e.outbound ? "tx" : "rx",
        action: String(e.payload[2]),
        payload: e.payload[3],
      }),
    );
    c.on("callResult", (e: { outbound: boolean; method: string; result: unknown }) =>
      rec({
        identity: id,
        kind: "result",
        // `outbound`: the CALL was ours, so its result / error came in
        dir: e.outbound ? "rx" : "tx",
        action: e.method,
        payload: e.result,
      }),
    );
    c.on("callError", (e: { outbound: boolean; method: string; error: Error }) =>
      rec({
        identity: id,
        kind: "error",
        // `outbound`: the CALL was ours, so its result / error came in
        dir: e.outbound ? "rx" : "tx",
        action: e.method,
        detail: e.error.message,
      }),
    );
    c.on(
      "strictValidationFailure",
      (e: { outbound: boolean; method: string; isCall: boolean; error: Error }) =>
        rec({
          identity: id,
          kind: "schema-error",
          dir: e.outbound ? "tx" : "rx",
          action: e.method,
          detail: `${e.isCall ? "call" : "result"}: ${e.error.message}`,
        }),
    );
    c.on("badMessage", (e: { error: Error }) =>
      rec({ identity: id, kind: "bad-message", detail: e.error.message }),
    );
    c.on("disconnect", () => {
      clients.delete(id);
      rec({ identity: id, kind: "disconnect" });
    });

    const answer = (action: string, f: (p: Record<string, unknown>) => Record<string, unknown>) =>
      c.handle(action, ({ params }) => {
        const r = f(params);
        setImmediate(() => runDue(action, params));
        return r;
      });
    answer("BootNotification", () => ({
      status: "Accepted",
      interval: o.heartbeatIntervalS ?? 300,
      currentTime: now(),
    }));
    answer("Heartbeat", () => ({ currentTime: now() }));
    const evCertificate = (p: Record<string, unknown>): Record<string, unknown> => {
      const out = o.cps
        ? answerEvCertificate(o.cps, p, Math.floor(Date.now() / 1000))
        : {
            response: { status: "Failed", statusInfo: { reasonCode: "NoCPS" }, exiResponse: "" },
            detail: "no CPS (nacs csms --v2g-pki DIR)",
          };
      rec({ identity: id, kind: "cps", action: "Get15118EVCertificate", detail: out.detail });
      return out.response;
    };
    if (protocol === "ocpp1.6") {
      answer16(id, answer, { lastTx, transactions, next: () => nextTxId16++, evCertificate });
      return;
    }
    answer("Get15118EVCertificate", evCertificate);
    answer("StatusNotification", () => ({}));
    answer("MeterValues", () => ({}));
    answer("Authorize", () => ({ idTokenInfo: { status: "Accepted" } }));
    answer("TransactionEvent", (p) => {
      const info = p.transactionInfo as { transactionId: string; stoppedReason?: string };
      lastTx.set(id, info.transactionId);
      const tx: CsmsTransaction = transactions[info.transactionId] ?? {
        identity: id,
        events: [],
        lastEnergyWh: null,
        endedEnergyWh: null,
        stoppedReason: null,
      };
      transactions[info.transactionId] = tx;
      tx.events.push({
        eventType: String(p.eventType),
        triggerReason: String(p.triggerReason),
        seqNo: Number(p.seqNo),
        ...(p.offline === true && { offline: true }),
      });
      const wh = energyOf(p);
      if (wh !== null) tx.lastEnergyWh = wh;
      if (p.eventType === "Ended") {
        tx.endedEnergyWh = wh;
        tx.stoppedReason = info.stoppedReason ?? null;
      }
      return p.idToken ? { idTokenInfo: { status: "Accepted" } } : {};
    });
    answer("GetCertificateStatus", (p) => certificateStatus(o.v2gPki, p));
    // A02 / A03: the answer, then the signed chain as CertificateSigned
    c.handle("SignCertificate", async ({ params }) => {
      const out = await signV2gCsr(o.v2gPki, params);
      setImmediate(() => runDue("SignCertificate", params));
      if (!out.ok)
        return { status: "Rejected", statusInfo: { reasonCode: out.reasonCode, additionalInfo: out.info } };
      const t = setTimeout(() => {
        timers.delete(t);
        c.call("CertificateSigned", { certificateChain: out.chain, certificateType: "V2GCertificate" }).catch(
          () => {
            // recorded by the callError / strictValidationFailure events
          },
        );
      }, 0);
      timers.add(t);
      return { status: "Accepted" };
    });
  });

  let http: import("node:http").Server;
  let tlsServer: HttpsServer | null = null;
  try {
    if (o.tls) {
      tlsServer = await listenTls(o.tls, o.port, o.host ?? "127.0.0.1", server.handleUpgrade as never);
      http = tlsServer;
    } else http = await server.listen(o.port, o.host ?? "127.0.0.1");
  } catch (err) {
    throw new OcppLinkError("listen-failed", `--port ${o.port}: cannot listen: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const port = (http.address() as AddressInfo).port;
  const host = o.host ?? "127.0.0.1";
  const url = `${o.tls ? "wss" : "ws"}://${host.includes(":") ? `[${host}]` : host}:${port}${o.path ?? "/nacs"}`;
  return {
    url,
    port,
    records,
    summary() {
      const messages: Record<string, number> = {};
      for (const r of records)
        if (r.kind === "call") messages[`${r.dir}:${r.action}`] = (messages[`${r.dir}:${r.action}`] ?? 0) + 1;
      return {
        url,
        stations: [...new Set(records.filter((r) => r.kind === "connect").map((r) => r.identity))],
        protocols: { ...protocols },
        messages,
        schemaErrors: records.filter((r) => r.kind === "schema-error").length,
        badMessages: records.filter((r) => r.kind === "bad-message").length,
        callErrors: records.filter((r) => r.kind === "error").length,
        authFailures: records.filter((r) => r.kind === "auth-failed").length,
        transactions,
      };
    },
    async call(identity, action, payload) {
      const c = clients.get(identity);
      if (!c) throw new OcppLinkError("connect-failed", `station ${identity} is not connected`);
      return c.call(action, substitute(payload, { transactionId: lastTx.get(identity), identity }));
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      await server.close({ code: 1001, reason: "CSMS shutting down", awaitPending: false, force: true });
      if (tlsServer) {
        const t = tlsServer;
        t.closeAllConnections();
        await new Promise<void>((r) => t.close(() => r()));
      }
    },
  };
}
