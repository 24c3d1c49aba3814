/**
 * Drives one pure session machine (SECC or EVCC, issue 4 §4) over a {@link V2gConnection} with real (or
 * injected) timers: received V2GTP messages become `message` events, `send` effects are written to the
 * connection, `set-timer`/`clear-timer` arm host timers whose expiry comes back as `timer` events, `close`
 * closes the connection and the connection's end becomes a `closed` event. Events are queued, so effect
 * handlers may push events while a step runs. Machine time (`tMs`) is real milliseconds since the start
 * of the session; physical models read the same clock (scaled by their own `timeScale`).
 */

import { type Clock, realClock } from "../../machine/index.js";
import type { CommonEffect, StopReason } from "../../v2g/index.js";
import { type LinkLogger, silentLogger } from "../logger.js";
import type { CloseInfo, V2gConnection } from "../types.js";
import { type HostWireTap, v2gtpTapEvents } from "./wire-tap.js";

/** Events every machine accepts (its own event union must include these shapes). */
export type DriverEvent =
  | { kind: "connected"; tMs: number }
  | { kind: "message"; payloadType: number; bytes: Uint8Array; tMs: number }
  | { kind: "timer"; id: string; tMs: number }
  | { kind: "closed"; reason: string; tMs: number };

/** What the side-specific host plugs into the driver. */
export interface DriverSide<S, E extends { kind: string; tMs: number }, F extends { kind: string }> {
  step(s: S, e: E): [S, F[]];
  /** Called before every event with the current time: advance models, return a `port` event or nothing. */
  before?(s: S, tMs: number): E | undefined;
  /** Effects other than send/set-timer/clear-timer/close/session-end (port commands, log, trace, …). */
  effect?(f: F, tMs: number, s: S): void;
  /** After each `send` effect has been written (name = message name, tMs = time after the write). */
  sent?(name: string, tMs: number): void;
  /** When a message arrived, before it is stepped. */
  received?(rxMs: number): void;
}

/** How a driven session ended. */
export interface DriverEnd {
  stopReason: StopReason | null;
  detail: string;
  close: CloseInfo;
  messagesIn: number;
  messagesOut: number;
  durationMs: number;
}

/** One driven machine. */
export class SessionDriver<S, E extends { kind: string; tMs: number }, F extends { kind: string }> {
  readonly done: Promise<DriverEnd>;
  private readonly timers: Clock;
  private readonly t0: number;
  private readonly armed = new Map<string, unknown>();
  private readonly queue: E[] = [];
  private draining = false;
  private ended: { stopReason: StopReason; detail: string } | null = null;
  private messagesIn = 0;
  private messagesOut = 0;
  private stopped = false;
  /** Wire tap of this connection (`o.tap`), or null. */
  private readonly wire: ReturnType<typeof v2gtpTapEvents> | null;
  /** When the last message arrived (session ms). */
  lastRxMs = 0;
  readonly log: LinkLogger;

  constructor(
    private state: S,
    readonly conn: V2gConnection,
    private readonly side: DriverSide<S, E, F>,
    o: { timers?: Clock; logger?: LinkLogger; tap?: HostWireTap } = {},
  ) {
    this.timers = o.timers ?? realClock;
    this.log = o.logger ?? silentLogger;
    this.t0 = this.timers.now();
    this.wire = o.tap ? v2gtpTapEvents(conn, o.tap) : null;
    this.wire?.open();
    conn.onMessage((m) => {
      this.wire?.message("rx", m);
      const rx = this.now();
      this.messagesIn++;
      this.lastRxMs = rx;
      this.side.received?.(rx);
      this.push(this.ev({ kind: "message", payloadType: m.payloadType, bytes: m.payload, tMs: rx }));
    });
    this.done = conn.closed.then((close) => {
      this.wire?.close(close.code);
      this.push(this.ev({ kind: "closed", reason: `${close.code}: ${close.reason}`, tMs: this.now() }));
      this.stop();
      return {
        stopReason: this.ended?.stopReason ?? null,
        detail: this.ended?.detail ?? `${close.code}: ${close.reason}`,
        close,
        messagesIn: this.messagesIn,
        messagesOut: this.messagesOut,
        durationMs: this.now(),
      };
    });
  }

  /** A driver event as the machine's event type (every machine accepts the {@link DriverEvent} shapes). */
  private ev(e: DriverEvent): E {
    return e as unknown as E;
  }

  /** Milliseconds since the session started (the machines' clock). */
  now(): number {
    return this.timers.now() - this.t0;
  }

  /** The machine's state. */
  current(): S {
    return this.state;
  }

  /** Queue an event (time stamped by the caller) and run the queue. */
  push(e: E): void {
    if (this.stopped) return;
    this.queue.push(e);
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const ev = this.queue.shift()!;
        const pre = this.side.before?.(this.state, ev.tMs);
        if (pre) this.apply(pre);
        this.apply(ev);
      }
    } finally {
      this.draining = false;
    }
  }

  private apply(ev: E): void {
    let fx: F[];
    try {
      [this.state, fx] = this.side.step(this.state, ev);
    } catch (e) {
      this.log.error(
        { conn: this.conn.id, err: String(e) },
        `host: machine threw on ${ev.kind}: ${String(e)}`,
      );
      this.ended ??= { stopReason: "internal-error", detail: String(e) };
      this.conn.close(`internal error: ${String(e)}`);
      return;
    }
    for (const f of fx) this.effect(f as F & CommonEffect);
  }

  private effect(f: F & CommonEffect): void {
    switch (f.kind) {
      case "send":
        if (this.conn.isClosed) return;
        try {
          this.conn.send(f.payloadType, f.bytes);
          this.wire?.message("tx", { payloadType: f.payloadType, payload: f.bytes });
          this.messagesOut++;
          this.side.sent?.(f.name, this.now());
        } catch (e) {
          this.log.warn({ conn: this.conn.id, err: String(e) }, `host: send ${f.name} failed`);
        }
        return;
      case "set-timer": {
        this.clearTimer(f.id);
        const at = f.atMs;
        const h = this.timers.setTimeout(
          () => {
            this.armed.delete(f.id);
            this.push(this.ev({ kind: "timer", id: f.id, tMs: Math.max(at, this.now()) }));
          },
          Math.max(0, at - this.now()),
        );
        this.armed.set(f.id, h);
        return;
      }
      case "clear-timer":
        this.clearTimer(f.id);
        return;
      case "close":
        this.conn.close(f.reason);
        return;
      case "session-end":
        this.ended ??= { stopReason: f.stopReason, detail: f.detail };
        this.side.effect?.(f, this.now(), this.state);
        return;
      case "log": {
        const fields = { conn: this.conn.id, ...(f.data ?? {}) };
        this.log[f.level](fields, f.msg);
        return;
      }
      default:
        this.side.effect?.(f, this.now(), this.state);
    }
  }

  private clearTimer(id: string): void {
    const h = this.armed.get(id);
    if (h !== undefined) this.timers.clearTimeout(h);
    this.armed.delete(id);
  }

  private stop(): void {
    this.stopped = true;
    for (const h of this.armed.values()) this.timers.clearTimeout(h);
    this.armed.clear();
  }
}
