/**
 * Real-time driver of the SLAC step functions: frames from a {@link FramePort} are decoded
 * with decodeSlacFrame and stepped in, `send` effects are encoded with encodeSlacFrame and sent, timers run
 * through the one machine driver (src/machine: timers on an injected clock, events run to completion),
 * `cp`/`s2` go to hooks, and `matched`/`failed` settle {@link SlacRun.outcome}. Modem handling (see modem.ts): "none" attaches a fixed attenuation to received sounds and
 * needs no replies; "qca" turns `set-key` into CM_SET_KEY.REQ for the local modem and polls its link.
 * Platform-neutral (the default clock is the wall clock of src/machine).
 */
import { type Clock, clockFrom, createMachineDriver, realClock } from "../../machine/index.js";
import { SlacError } from "../errors.js";
import { decodeSlacFrame, encodeSlacFrame, type SlacFrame } from "../frame.js";
import type { ModemMode, SlacEffect } from "../matching/types.js";
import { SLAC_RUN_RECORD_LIMIT } from "./constants.js";
import { type ModemAdapter, noneModem, qcaModem } from "./modem.js";
import type { FramePort, SlacRunOutcome, SlacRunStats } from "./types.js";

/** Any event of either machine, without its time stamp (the driver adds `tMs`). */
export type DriverEvent<E> = E extends unknown ? Omit<E, "tMs"> : never;

/** Options common to both sides. */
export interface SlacDriverOptions {
  port: FramePort;
  /** Local modem model; must equal the state machine's `modem` (default "none"). */
  modem?: ModemMode;
  /** Clock and timers (default the wall clock). */
  timers?: Clock;
  /** Modem "none": attenuation (dB, every group) reported for each received sound. */
  soundAttenuationDb?: number;
  /** Modem "qca": the modem's MAC (default QCA_LOCAL_MANAGEMENT_MAC). */
  modemMac?: Uint8Array;
  /** `log` effects and driver notes. */
  onLog?: (level: "debug" | "info" | "warn", msg: string) => void;
  /** EVSE `cp` effects (E/F, back to 5 %, X1). */
  onCp?: (action: "ef" | "resume" | "x1") => void;
  /** EV `s2` effects (validation toggles). */
  onS2?: (closed: boolean) => void;
  /** Keep at most this many frame records (default SLAC_RUN_RECORD_LIMIT). */
  recordLimit?: number;
}

/** A running SLAC machine. */
export interface SlacRun<S, E> {
  /** Settles once: matched, failed, or stopped. */
  readonly outcome: Promise<SlacRunOutcome>;
  readonly stats: SlacRunStats;
  /** The machine's current state. */
  state(): S;
  /** Milliseconds since the driver started. */
  now(): number;
  /** Queue an event (cp, start, modem); `tMs` is added. */
  push(ev: DriverEvent<E>): void;
  /** Stop: unsubscribe from the port, clear timers; the machine keeps its state. Idempotent. */
  stop(): void;
}

/** Drive `step` from `initial` over `o.port`. Used by startEvSlac / startEvseSlac (run-ev.ts, run-evse.ts). */
export function driveSlac<S, E extends { kind: string; tMs: number }>(
  step: (s: S, e: E) => [S, SlacEffect[]],
  initial: S,
  o: SlacDriverOptions,
): SlacRun<S, E> {
  const clock = clockFrom(o.timers ?? realClock);
  const now = () => clock.now();
  const limit = o.recordLimit ?? SLAC_RUN_RECORD_LIMIT;
  const stats: SlacRunStats = { framesSent: 0, framesReceived: 0, undecodable: 0, frames: [] };
  let stopped = false;
  let settle!: (o: SlacRunOutcome) => void;
  let settled = false;
  const outcome = new Promise<SlacRunOutcome>((res) => {
    settle = (x) => {
      if (settled) return;
      settled = true;
      res(x);
    };
  });
  const log = (level: "debug" | "info" | "warn", msg: string) => o.onLog?.(level, msg);
  const record = (dir: "tx" | "rx", kind: string, bytes: number) => {
    stats.frames.push({ atMs: Math.round(now() * 1000) / 1000, dir, kind, bytes });
    if (stats.frames.length > limit) stats.frames.shift();
  };

  const sendFrame = (f: SlacFrame) => {
    if (stopped) return;
    const bytes = encodeSlacFrame(f);
    o.port.send(bytes);
    stats.framesSent++;
    record("tx", f.mme.kind === "unknown" ? `0x${f.mme.mmtype.toString(16)}` : f.mme.kind, bytes.length);
  };

  const modem: ModemAdapter =
    (o.modem ?? "none") === "qca"
      ? qcaModem({
          hostMac: o.port.mac,
          modemMac: o.modemMac,
          send: sendFrame,
          timers: clock,
          onLinkUp: () => push({ kind: "modem", ev: "link", up: true } as unknown as DriverEvent<E>),
        })
      : noneModem(o.soundAttenuationDb);

  const perform = (e: SlacEffect) => {
    switch (e.kind) {
      case "send":
        sendFrame(e.frame);
        break;
      case "set-key":
        modem.setKey(e.nmk, e.nid);
        break;
      case "cp":
        o.onCp?.(e.action);
        break;
      case "s2":
        o.onS2?.(e.closed);
        break;
      case "matched":
        modem.stop();
        settle({ kind: "matched", atMs: now(), nmk: e.nmk, nid: e.nid, peerMac: e.peerMac, runId: e.runId });
        break;
      case "failed":
        modem.stop();
        settle({ kind: "failed", atMs: now(), reason: e.reason });
        break;
      case "log":
        log(e.level, e.msg);
        break;
      default:
        break;
    }
  };
  const driver = createMachineDriver<S, E, SlacEffect>({ step, state: initial, clock, perform });

  function push(ev: DriverEvent<E>): void {
    driver.push({ ...ev, tMs: now() } as unknown as E);
  }

  const onBytes = (bytes: Uint8Array) => {
    if (stopped) return;
    let frame: SlacFrame;
    try {
      frame = decodeSlacFrame(bytes);
    } catch (e) {
      if (!(e instanceof SlacError)) throw e;
      stats.undecodable++;
      log("debug", `undecodable frame of ${bytes.length} bytes ignored: ${e.message}`);
      return;
    }
    stats.framesReceived++;
    record(
      "rx",
      frame.mme.kind === "unknown" ? `0x${frame.mme.mmtype.toString(16)}` : frame.mme.kind,
      bytes.length,
    );
    if (modem.onFrame(frame)) return; // consumed by the modem adapter (vendor link status)
    const atten = modem.attenuationFor(frame);
    push({ kind: "frame", frame, ...(atten ? { attenuationDb: atten } : {}) } as unknown as DriverEvent<E>);
  };
  const unsubscribe = o.port.onFrame(onBytes);

  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    driver.stop();
    modem.stop();
    settle({ kind: "stopped", atMs: now() });
  };

  return { outcome, stats, state: () => driver.state(), now, push, stop };
}
