/**
 * The charging station's port to a CSMS: OCPP-J over WebSocket with `ocpp-rpc` (subprotocol "ocpp2.0.1" or
 * "ocpp1.6", `strictMode`: every CALL and CALLRESULT either way checked against the official OCPP JSON
 * schemas of that version), driving the pure station machine of src/ocpp (2.0.1) or src/ocpp/v16 (1.6J). The host gives it the EVSE's events (`push`) and the OCPP
 * clock (`now`), and gets the EVSE commands back (`onEvse`).
 */
import { RPCClient } from "ocpp-rpc";
import {
  type CertificateCommand,
  createStation,
  type EvseCommand,
  type SeccCertificateInfo,
  STATION_ACTIONS,
  type StationConfig,
  type StationEffect,
  type StationEvent,
  type StationState,
  stepStation,
} from "../../ocpp/index.js";
import {
  createStation16,
  STATION_ACTIONS_16,
  type StationConfig16,
  type StationState16,
  stepStation16,
} from "../../ocpp/v16/index.js";
import { OcppLinkError } from "./errors.js";
import type { OcppJournal } from "./journal.js";
import { splitCsmsUrl } from "./url.js";
import { warmOcppSchemas } from "./warm.js";

/** One strict-mode schema failure (a message not sent, or refused on arrival). */
export interface SchemaFailure {
  method: string;
  outbound: boolean;
  isCall: boolean;
  message: string;
}

/** Options of the station client. */
export interface OcppStationOptions {
  /** `ws[s]://HOST/PATH/IDENTITY`. */
  url: string;
  /** OCPP version (subprotocol and station machine); default "2.0.1". */
  version?: "2.0.1" | "1.6";
  /** The station's configuration (1.6: may add the nominal voltage of A schedules). */
  config: StationConfig | StationConfig16;
  /** The OCPP clock (Unix ms). */
  now: () => number;
  /** EVSE commands of the station (power limit, stop, authorisation). */
  onEvse: (c: EvseCommand) => void;
  onLog?: (level: string, msg: string) => void;
  /** Every message on the wire, both directions (the record). */
  onWire?: (m: {
    dir: "tx" | "rx";
    kind: "call" | "result" | "error";
    action: string;
    payload: unknown;
  }) => void;
  /** Security profile 1: HTTP Basic password (the username is the identity). */
  password?: string;
  /**
   * `wss://`: the CSMS root(s) to trust (security profile 2), and the station's client certificate chain and
   * key (profile 3; OCPP 2.0.1 Part 2 §A00). Without `caPem` the system's roots are trusted.
   */
  tls?: { caPem?: string; certPem?: string; keyPem?: string };
  callTimeoutMs?: number;
  /**
   * The offline queue on disk (`--ocpp-queue`, 2.0.1): its pending calls are restored first; every
   * transaction-related call is written (fsync) when queued, before it can reach the socket, and marked
   * done when it leaves the outbox (its CALLRESULT, or a CALLERROR that drops it).
   */
  journal?: OcppJournal;
  /**
   * A CSMS that cannot be reached at start is not an error: the station starts offline and tries again
   * (backoff 0.2 s doubling to 5 s) until it connects or is closed. Without it, startOcppStation throws.
   */
  offlineStart?: boolean;
  /**
   * 2.0.1: the SECC's V2G certificate store (secc-certs.ts): its info goes to the station before it
   * connects, and it does what the station's `certificate` effects ask (A02 / A03, M06).
   */
  certificates?: {
    info(): SeccCertificateInfo;
    handle(cmd: CertificateCommand): Promise<StationEvent[]>;
  };
}

/** A CSMS request the station answers in a later step (CertificateSigned) is answered within this (ms). */
export const STATION_DEFERRED_REPLY_MS = 20_000;

/** The running station client. */
export interface OcppStation {
  /** An EVSE event (plugged, meter, charging, id-token, session-end, tick). */
  push(ev: StationEvent): void;
  /** The machine's state: 2.0.1 {@link StationState} or 1.6 {@link StationState16}. */
  readonly state: StationState | StationState16;
  readonly schemaFailures: readonly SchemaFailure[];
  /** Nothing queued nor in flight. */
  idle(): boolean;
  /** Wait until the CSMS accepted the BootNotification (or `ms` of wall time). Returns whether it did. */
  registered(ms: number): Promise<boolean>;
  /** Wait until idle (or `ms` of wall time). Returns whether it is. */
  drain(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

/** RPC error code of a failed call, "Timeout" / "Disconnected" for the framework's own failures. */
function errorCode(err: unknown): string {
  const e = err as { rpcErrorCode?: string; name?: string };
  return e.rpcErrorCode ?? (e.name === "TimeoutError" ? "Timeout" : "Failed");
}

/** Connect to the CSMS and start the station (BootNotification first). Throws OcppLinkError. */
export async function startOcppStation(o: OcppStationOptions): Promise<OcppStation> {
  const { endpoint, identity } = splitCsmsUrl(o.url);
  warmOcppSchemas();
  // ocpp-rpc's typings list every option as required; the library fills in the ones not given
  const v16 = o.version === "1.6";
  const options: Partial<ConstructorParameters<typeof RPCClient>[0]> = {
    endpoint,
    identity,
    protocols: [v16 ? "ocpp1.6" : "ocpp2.0.1"],
    strictMode: true,
    reconnect: true,
    callTimeoutMs: o.callTimeoutMs ?? 30_000,
    ...(o.password !== undefined && { password: o.password }),
    ...(o.tls && {
      wsOpts: {
        ...(o.tls.caPem !== undefined && { ca: o.tls.caPem }),
        ...(o.tls.certPem !== undefined && { cert: o.tls.certPem }),
        ...(o.tls.keyPem !== undefined && { key: o.tls.keyPem }),
        minVersion: "TLSv1.2",
      },
    }),
    backoff: { initialDelay: 200, maxDelay: 5_000, factor: 2, randomisationFactor: 0.25 },
  };
  const client = new RPCClient(options as ConstructorParameters<typeof RPCClient>[0]);
  // one machine or the other: the same events and effects, each with its own state
  type AnyState = StationState | StationState16;
  const step = (v16 ? stepStation16 : stepStation) as (
    s: AnyState,
    e: StationEvent,
  ) => [AnyState, StationEffect[]];
  let state: AnyState = v16 ? createStation16(o.config, o.now()) : createStation(o.config, o.now());
  const failures: SchemaFailure[] = [];
  const log = (level: string, msg: string) => o.onLog?.(level, msg);

  const journal = o.journal;
  /** Keep the journal in step with the outbox: new transaction calls written, gone ones done. */
  const syncJournal = () => {
    if (!journal) return;
    const ids = new Set(state.outbox.map((c) => c.id));
    for (const c of journal.pending()) if (!ids.has(c.id)) journal.done(c.id);
    for (const c of state.outbox) if (c.txRelated) journal.append(c);
    // 1.6: the CSMS's transactionIds, which the queued calls of those transactions will name
    if ("txIds" in state)
      for (const [local, id] of Object.entries(state.txIds)) journal.noteTxId(Number(local), id);
  };
  /** Requests answered in a later step (A03 CertificateSigned, once the chain is checked). */
  const deferred = new Map<string, (p: Record<string, unknown>) => void>();
  const run = (ev: StationEvent): StationEffect[] => {
    const [s, fx] = step(state, ev);
    state = s;
    // on disk before any send of this step (the sends go out after this turn)
    syncJournal();
    for (const f of fx) {
      if (f.kind === "evse") o.onEvse(f.command);
      else if (f.kind === "log") log(f.level, f.msg);
      else if (f.kind === "reply") deferred.get(f.reqId)?.(f.payload);
      else if (f.kind === "certificate") certificate(f.command);
      // a CALL goes out after this turn: a reply produced in the same step is sent first
      else if (f.kind === "send") setImmediate(() => send(f.call.id, f.call.action, f.call.payload));
    }
    return fx;
  };

  const certificate = (cmd: CertificateCommand) => {
    const store = o.certificates;
    if (!store) return log("warn", `certificate ${cmd.kind}: this station has no certificate store`);
    store.handle(cmd).then(
      (evs) => {
        for (const ev of evs) run(ev);
      },
      (err: unknown) => log("error", `certificate ${cmd.kind}: ${(err as Error).message}`),
    );
  };

  const send = (id: string, action: string, payload: Record<string, unknown>) => {
    client.call(action, payload).then(
      (result) =>
        run({ kind: "result", id, payload: (result ?? {}) as Record<string, unknown>, tMs: o.now() }),
      (err: unknown) => {
        // a lost connection: the call stays queued in the station (disconnected re-sends it)
        if (client.state !== RPCClient.OPEN && !(err as { rpcErrorCode?: string }).rpcErrorCode) return;
        run({ kind: "call-error", id, code: errorCode(err), message: (err as Error).message, tMs: o.now() });
      },
    );
  };

  client.on(
    "strictValidationFailure",
    (e: { method: string; outbound: boolean; isCall: boolean; error: Error }) => {
      failures.push({ method: e.method, outbound: e.outbound, isCall: e.isCall, message: e.error.message });
      log(
        "error",
        `schema: ${e.outbound ? "outbound" : "inbound"} ${e.method} ${e.isCall ? "call" : "result"}: ${e.error.message}`,
      );
    },
  );
  client.on("call", (e: { outbound: boolean; payload: unknown[] }) =>
    o.onWire?.({
      dir: e.outbound ? "tx" : "rx",
      kind: "call",
      action: String(e.payload[2]),
      payload: e.payload[3],
    }),
  );
  client.on("callResult", (e: { outbound: boolean; method: string; result: unknown }) =>
    o.onWire?.({ dir: e.outbound ? "rx" : "tx", kind: "result", action: e.method, payload: e.result }),
  );
  client.on("callError", (e: { outbound: boolean; method: string; error: Error }) =>
    o.onWire?.({ dir: e.outbound ? "rx" : "tx", kind: "error", action: e.method, payload: e.error.message }),
  );
  client.on("open", () => run({ kind: "connected", tMs: o.now() }));
  client.on("disconnect", (e: { code?: number; reason?: string }) =>
    run({ kind: "disconnected", reason: `close ${e?.code ?? "?"} ${e?.reason ?? ""}`.trim(), tMs: o.now() }),
  );

  for (const action of v16 ? STATION_ACTIONS_16 : STATION_ACTIONS)
    client.handle(action, async ({ params, messageId }) => {
      const fx = run({
        kind: "request",
        reqId: String(messageId),
        action,
        payload: (params ?? {}) as Record<string, unknown>,
        tMs: o.now(),
      });
      const reply = fx.find((f) => f.kind === "reply");
      if (reply && reply.kind === "reply") return reply.payload;
      // answered in a later step (the station's effects are being carried out)
      return await new Promise<Record<string, unknown>>((resolve) => {
        const timer = setTimeout(() => {
          deferred.delete(String(messageId));
          resolve({ status: "Rejected", statusInfo: { reasonCode: "Timeout" } });
        }, STATION_DEFERRED_REPLY_MS);
        timer.unref?.();
        deferred.set(String(messageId), (p) => {
          clearTimeout(timer);
          deferred.delete(String(messageId));
          resolve(p);
        });
      });
    });

  if (o.certificates && !v16) run({ kind: "secc-certificate", info: o.certificates.info(), tMs: o.now() });

  const restored = journal?.pending() ?? [];
  if (restored.length > 0)
    run({ kind: "restored", calls: restored, txIds: journal?.txIds() ?? {}, tMs: o.now() });

  let closing = false;
  let retrying: Promise<void> | null = null;
  let wake = () => {};
  try {
    await client.connect();
  } catch (err) {
    if (!o.offlineStart)
      throw new OcppLinkError(
        "connect-failed",
        `--ocpp ${o.url}: cannot connect: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    log("warn", `CSMS unreachable at start (${(err as Error).message}): offline, trying again`);
    // ocpp-rpc reconnects a connection that was open once; the first one is retried here, until close()
    retrying = (async () => {
      for (let delay = 200; !closing; delay = Math.min(delay * 2, 5_000)) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, delay);
          wake = () => {
            clearTimeout(timer);
            r();
          };
        });
        if (closing) return;
        try {
          await client.connect();
          return;
        } catch {
          // still unreachable
        }
      }
    })();
  }

  const idle = () => state.outbox.length === 0 && state.inFlight === null;
  return {
    push: (ev) => {
      run(ev);
    },
    get state() {
      return state;
    },
    schemaFailures: failures,
    idle,
    async registered(ms) {
      const until = Date.now() + ms;
      while (state.registration !== "Accepted" && Date.now() < until)
        await new Promise((r) => setTimeout(r, 10));
      return state.registration === "Accepted";
    },
    async drain(ms) {
      const until = Date.now() + ms;
      while (!idle() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      return idle();
    },
    async close() {
      closing = true;
      wake();
      await retrying;
      await client.close({ code: 1000, reason: "station done", awaitPending: false });
      journal?.close();
    },
  };
}
