/**
 * Runs one pure session machine (SECC or EVCC) over a {@link V2gConnection} on the one machine driver
 * (src/machine: events in order, timers on the clock): received V2GTP messages become `message` events,
 * `send` effects are written to the connection, `close` closes it and the connection's end becomes a
 * `closed` event. Machine time (`tMs`) is real milliseconds since the start
 * of the session; physical models read the same clock (scaled by their own `timeScale`).
 */

import {
  type Clock,
  clockFrom,
  createMachineDriver,
  type MachineDriver,
  realClock,
} from "../../machine/index.js";
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

/** One driven machine: the one machine driver (src/machine) with a V2G connection as its port. */
export class SessionDriver<S, E extends { kind: string; tMs: number }, F extends { kind: string }> {
  readonly done: Promise<DriverEnd>;
  private readonly clock: Clock;
  private readonly driver: MachineDriver<S, E>;
  private ended: { stopReason: StopReason; detail: string } | null = null;
  private messagesIn = 0;
  private messagesOut = 0;
  /** Wire tap of this connection (`o.tap`), or null. */
  private readonly wire: ReturnType<typeof v2gtpTapEvents> | null;
  /** When the last message arrived (session ms). */
  lastRxMs = 0;
  readonly log: LinkLogger;

  constructor(
    state: S,
    readonly conn: V2gConnection,
    private readonly side: DriverSide<S, E, F>,
    o: { timers?: Clock; logger?: LinkLogger; tap?: HostWireTap } = {},
  ) {
    const base = clockFrom(o.timers ?? realClock);
    // Timers run like every other event: the side's models are brought up to date first.
    this.clock = {
      now: () => base.now(),
      setTimeout: (fn, ms) =>
        base.setTimeout(() => {
          this.before(base.now());
          fn();
        }, ms),
      clearTimeout: (h) => base.clearTimeout(h),
    };
    this.log = o.logger ?? silentLogger;
    this.driver = createMachineDriver<S, E, F>({
      step: side.step,
      state,
      clock: this.clock,
      perform: (f) => this.effect(f as F & CommonEffect),
      onError: (e, ev) => {
        this.log.error(
          { conn: this.conn.id, err: String(e) },
          `host: machine threw on ${ev.kind}: ${String(e)}`,
        );
        this.ended ??= { stopReason: "internal-error", detail: String(e) };
        this.conn.close(`internal error: ${String(e)}`);
      },
    });
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
      this.driver.stop();
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

  /** The side's `port` event for time `tMs`, stepped before the event that follows. */
  private before(tMs: number): void {
    const pre = this.side.before?.(this.driver.state(), tMs);
    if (pre) this.driver.push(pre);
  }

  /** Milliseconds since the session started (the machines' clock). */
  now(): number {
    return this.clock.now();
  }

  /** The machine's state. */
  current(): S {
    return this.driver.state();
  }

  /** Queue an event (time stamped by the caller) after the side's models caught up, and run the queue. */
  push(e: E): void {
    if (this.driver.stopped) return;
    this.before(e.tMs);
    this.driver.push(e);
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
      case "close":
        this.conn.close(f.reason);
        return;
      case "session-end":
        this.ended ??= { stopReason: f.stopReason, detail: f.detail };
        this.side.effect?.(f, this.now(), this.driver.state());
        return;
      case "log": {
        const fields = { conn: this.conn.id, ...(f.data ?? {}) };
        this.log[f.level](fields, f.msg);
        return;
      }
      default:
        this.side.effect?.(f, this.now(), this.driver.state());
    }
  }
}
