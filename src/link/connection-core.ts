/**
 * Transport-independent half of a {@link V2gConnection}: V2GTP deframing of received bytes
 * (ISO 15118-2 §7.8.3), the receive queue / callbacks / async iterator, read and idle timeouts, close
 * bookkeeping and logging. TCP/TLS sockets and the in-memory link supply only `write` and `shutdown`. A bad
 * header or a length over `maxPayload` closes that connection and logs the reason.
 */

import { type Clock, realClock } from "../machine/index.js";
import {
  createV2gtpDeframer,
  encodeV2gtpMessage,
  resolveMaxPayload,
  type V2gtpDeframer,
  V2gtpError,
  type V2gtpMessage,
} from "../v2g/index.js";
import { LinkError } from "./errors.js";
import { type LinkLogger, silentLogger } from "./logger.js";
import {
  type CloseInfo,
  LINK_READ_TIMEOUT_MS,
  type LinkEndpoint,
  type LinkTransport,
  type ReceiveOptions,
  type TlsInfo,
  type V2gConnection,
} from "./types.js";

/** What a concrete transport provides to the core. */
export interface TransportHooks {
  /** Put bytes on the wire. */
  write(bytes: Uint8Array): void;
  /** Release the underlying transport; `graceful` (local close) lets queued writes drain first. */
  shutdown(info: CloseInfo, graceful: boolean): void;
}

/** Construction parameters of {@link ConnectionCore}. */
export interface ConnectionCoreParams {
  id: string;
  transport: LinkTransport;
  local: LinkEndpoint;
  remote: LinkEndpoint;
  tls?: TlsInfo;
  options?: ReceiveOptions;
  timers?: Clock;
  hooks: TransportHooks;
  /**
   * Server side: close with "setup-timeout" unless a complete V2GTP message arrives within this many ms
   * (from construction). Omitted or 0: no such bound.
   */
  setupTimeoutMs?: number;
}

function checkMs(name: string, v: number | undefined, dflt: number): number {
  const ms = v ?? dflt;
  if (!Number.isFinite(ms) || ms < 0)
    throw new LinkError("bad-option", `${name}: ${v}, must be a number ≥ 0`);
  return ms;
}

/**
 * Validate receive options (servers call it at start so a bad option fails there, not per connection).
 * Throws {@link LinkError} "bad-option" naming the option and the rule.
 */
export function checkReceiveOptions(o: ReceiveOptions = {}): {
  readTimeoutMs: number;
  idleTimeoutMs: number;
} {
  try {
    resolveMaxPayload(o.maxPayload === undefined ? {} : { maxPayload: o.maxPayload });
  } catch (e) {
    throw new LinkError("bad-option", (e as Error).message, { cause: e });
  }
  return {
    readTimeoutMs: checkMs("readTimeoutMs", o.readTimeoutMs, LINK_READ_TIMEOUT_MS),
    idleTimeoutMs: checkMs("idleTimeoutMs", o.idleTimeoutMs, 0),
  };
}

/** Shared connection implementation; transports call {@link ConnectionCore.receive} and {@link ConnectionCore.finish}. */
export class ConnectionCore implements V2gConnection {
  readonly id: string;
  readonly transport: LinkTransport;
  readonly local: LinkEndpoint;
  readonly remote: LinkEndpoint;
  readonly tls?: TlsInfo;
  readonly closed: Promise<CloseInfo>;
  private readonly hooks: TransportHooks;
  private readonly log: LinkLogger;
  private readonly timers: Clock;
  private readonly deframer: V2gtpDeframer;
  private readonly readTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly consumers = new Set<(m: V2gtpMessage) => void>();
  private pending: V2gtpMessage[] = [];
  private flushScheduled = false;
  private resolveClosed!: (info: CloseInfo) => void;
  private closeInfo: CloseInfo | undefined;
  private readTimer: unknown;
  private idleTimer: unknown;
  private setupTimer: unknown;
  private lastRx: number;

  constructor(p: ConnectionCoreParams) {
    this.id = p.id;
    this.transport = p.transport;
    this.local = p.local;
    this.remote = p.remote;
    if (p.tls) this.tls = p.tls;
    this.hooks = p.hooks;
    const o = p.options ?? {};
    this.log = o.logger ?? silentLogger;
    this.timers = p.timers ?? realClock;
    const checked = checkReceiveOptions(o);
    this.readTimeoutMs = checked.readTimeoutMs;
    this.idleTimeoutMs = checked.idleTimeoutMs;
    const deframeOpts: { maxPayload?: number; allowUnknownPayloadTypes?: boolean } = {};
    if (o.maxPayload !== undefined) deframeOpts.maxPayload = o.maxPayload;
    if (o.allowUnknownPayloadTypes) deframeOpts.allowUnknownPayloadTypes = true;
    this.deframer = createV2gtpDeframer(deframeOpts);
    this.closed = new Promise((r) => {
      this.resolveClosed = r;
    });
    this.lastRx = this.timers.now();
    if (this.idleTimeoutMs > 0) this.armIdle(this.idleTimeoutMs);
    const setupMs = checkMs("setupTimeoutMs", p.setupTimeoutMs, 0);
    if (setupMs > 0) this.setupTimer = this.timers.setTimeout(() => this.onSetupTimeout(setupMs), setupMs);
  }

  get isClosed(): boolean {
    return this.closeInfo !== undefined;
  }

  /** Fields identifying this connection in log lines. */
  logFields(): Record<string, unknown> {
    return {
      conn: this.id,
      transport: this.transport,
      remote: `[${this.remote.address}]:${this.remote.port}`,
    };
  }

  send(payloadType: number, payload: Uint8Array): void {
    this.sendRaw(encodeV2gtpMessage(payloadType, payload));
  }

  sendRaw(bytes: Uint8Array): void {
    if (this.closeInfo) {
      throw new LinkError(
        "closed",
        `${this.id}: send after close (${this.closeInfo.code}: ${this.closeInfo.reason})`,
      );
    }
    this.hooks.write(bytes);
  }

  onMessage(cb: (msg: V2gtpMessage) => void): () => void {
    this.consumers.add(cb);
    this.scheduleFlush();
    return () => {
      this.consumers.delete(cb);
    };
  }

  [Symbol.asyncIterator](): AsyncIterator<V2gtpMessage> {
    const queue: V2gtpMessage[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = this.onMessage((m) => {
      queue.push(m);
      wake?.();
    });
    void this.closed.then(() => wake?.());
    return {
      next: async (): Promise<IteratorResult<V2gtpMessage>> => {
        for (;;) {
          const m = queue.shift();
          if (m) return { value: m, done: false };
          if (this.closeInfo) {
            unsubscribe();
            return { value: undefined, done: true };
          }
          await new Promise<void>((r) => {
            wake = r;
          });
          wake = undefined;
        }
      },
      return: async (): Promise<IteratorResult<V2gtpMessage>> => {
        unsubscribe();
        return { value: undefined, done: true };
      },
    };
  }

  close(reason = "closed by application"): void {
    this.finish({ code: "local", reason }, true);
  }

  /** Called by the transport with each received chunk. */
  receive(chunk: Uint8Array): void {
    if (this.closeInfo) return;
    this.lastRx = this.timers.now();
    const msgs = this.deframer.push(chunk);
    if (msgs.length > 0) this.clearSetup();
    for (const m of msgs) this.deliver(m);
    const err = this.deframer.error;
    if (err) {
      this.log.warn(
        { ...this.logFields(), code: err.code, err: err.message },
        `v2gtp: closing connection ${this.id}: ${err.code}: ${err.message}`,
      );
      this.finish({ code: "protocol-error", reason: `${err.code}: ${err.message}`, error: err }, false);
      return;
    }
    if (msgs.length > 0 || this.deframer.buffered === 0) this.clearRead();
    if (this.deframer.buffered > 0 && this.readTimer === undefined && this.readTimeoutMs > 0) {
      this.readTimer = this.timers.setTimeout(() => this.onReadTimeout(), this.readTimeoutMs);
    }
  }

  /** Called by the transport (or internally) when the connection ends; idempotent. */
  finish(info: CloseInfo, graceful: boolean): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    this.clearRead();
    this.clearSetup();
    if (this.idleTimer !== undefined) this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const fields = {
      ...this.logFields(),
      code: info.code,
      reason: info.reason,
      buffered: this.deframer.buffered,
    };
    const msg = `link: ${this.id} closed (${info.code}): ${info.reason}`;
    if (info.code === "local" || info.code === "peer-closed" || info.code === "server-close") {
      this.log.debug(fields, msg);
    } else this.log.info(fields, msg);
    try {
      this.hooks.shutdown(info, graceful);
    } finally {
      this.resolveClosed(info);
    }
  }

  private deliver(m: V2gtpMessage): void {
    // Keep order: while queued messages wait for their (microtask) flush, new ones queue behind them.
    if (this.consumers.size === 0 || this.pending.length > 0) {
      this.pending.push(m);
      this.scheduleFlush();
      return;
    }
    this.dispatch(m);
  }

  private dispatch(m: V2gtpMessage): void {
    for (const cb of [...this.consumers]) {
      try {
        cb(m);
      } catch (e) {
        this.log.error({ ...this.logFields(), err: String(e) }, `link: ${this.id} message handler threw`);
      }
    }
  }

  /** Hand queued messages to consumers in a microtask (never inside `onMessage` itself). */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.pending.length === 0 || this.consumers.size === 0) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      while (this.pending.length > 0 && this.consumers.size > 0) this.dispatch(this.pending.shift()!);
    });
  }

  private clearSetup(): void {
    if (this.setupTimer !== undefined) this.timers.clearTimeout(this.setupTimer);
    this.setupTimer = undefined;
  }

  private onSetupTimeout(ms: number): void {
    this.setupTimer = undefined;
    if (this.closeInfo) return;
    const buffered = this.deframer.buffered;
    const reason = `setup-timeout: no complete V2GTP message within ${ms} ms of accept (${buffered} bytes buffered)`;
    this.log.warn(
      { ...this.logFields(), code: "setup-timeout", buffered },
      `link: closing ${this.id}: ${reason}`,
    );
    this.finish({ code: "setup-timeout", reason }, false);
  }

  private clearRead(): void {
    if (this.readTimer !== undefined) this.timers.clearTimeout(this.readTimer);
    this.readTimer = undefined;
  }

  private onReadTimeout(): void {
    this.readTimer = undefined;
    const buffered = this.deframer.buffered;
    if (this.closeInfo || buffered === 0) return;
    const reason = `read-timeout: ${buffered} bytes of an incomplete V2GTP message, nothing completed it within ${this.readTimeoutMs} ms`;
    this.log.warn(
      { ...this.logFields(), code: "read-timeout", buffered },
      `link: closing ${this.id}: ${reason}`,
    );
    this.finish({ code: "read-timeout", reason }, false);
  }

  private armIdle(ms: number): void {
    this.idleTimer = this.timers.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.closeInfo) return;
      const idle = this.timers.now() - this.lastRx;
      if (idle < this.idleTimeoutMs) {
        this.armIdle(this.idleTimeoutMs - idle);
        return;
      }
      const reason = `idle-timeout: no data for ${this.idleTimeoutMs} ms`;
      this.log.warn({ ...this.logFields(), code: "idle-timeout" }, `link: closing ${this.id}: ${reason}`);
      this.finish({ code: "idle-timeout", reason }, false);
    }, ms);
  }
}

/** True when `e` is the V2GTP error a protocol-error close carries. */
export function isProtocolError(info: CloseInfo): info is CloseInfo & { error: V2gtpError } {
  return info.code === "protocol-error" && info.error instanceof V2gtpError;
}
