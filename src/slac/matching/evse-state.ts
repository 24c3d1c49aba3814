/**
 * EVSE SLAC configuration, state and the mutable per-step context (timers, effects) used by the handlers
 * in evse.ts. ISO 15118-3 ([V2G3-M06-07] for the E/F retries).
 */
import type { CpState } from "../../pilot/types.js";
import type { SlacFrame } from "../frame.js";
import {
  C_EVSE_MATCH_PARALLEL,
  TT_EVSE_SLAC_INIT_MAX_MS,
  TT_EVSE_SLAC_INIT_MIN_MS,
  TT_EVSE_SLAC_INIT_MS,
} from "./constants.js";
import { requireMac, requireRange, SlacConfigError } from "./errors.js";
import type { EvseSession } from "./evse-session.js";
import { bytesEqual, hex } from "./messages.js";
import type { ModemMode, SlacCommonConfig, SlacEffect, SlacFailReason } from "./types.js";

/** EVSE options (defaults: the ISO 15118-3 timers of ./constants.ts). */
export interface EvseSlacConfig extends SlacCommonConfig {
  /** TT_EVSE_SLAC_init, 20–50 s (default 40 s). */
  slacInitMs?: number;
  /** Sessions at once, 1..C_EVSE_match_parallel (default 5). */
  maxParallel?: number;
  /** Offer CM_VALIDATE (BCB toggle counting); default false → answers "not required". */
  validation?: boolean;
}

/** {@link EvseSlacConfig} with defaults filled in and checked. */
export interface EvseSlacResolvedConfig {
  mac: Uint8Array;
  modem: ModemMode;
  random: SlacCommonConfig["random"];
  slacInitMs: number;
  maxParallel: number;
  validation: boolean;
}

/** Phases of the EVSE machine. */
export type EvseSlacPhase = "unplugged" | "listening" | "ef" | "joining" | "matched" | "failed";

/** EVSE SLAC state (immutable). */
export interface EvseSlacState {
  readonly config: EvseSlacResolvedConfig;
  readonly phase: EvseSlacPhase;
  readonly cpState?: CpState;
  readonly duty?: number;
  readonly nmk?: Uint8Array;
  readonly nid?: Uint8Array;
  readonly keyState: "none" | "pending" | "ok";
  readonly seenParmReq: boolean;
  /** E/F + 5 % retries done (≤ C_sequ_retry). */
  readonly sequRetries: number;
  readonly sessions: readonly EvseSession[];
  /** CM_SLAC_PARM.REQ received before plug-in was seen. */
  readonly early: readonly { frame: SlacFrame; tMs: number }[];
  readonly peer?: EvseSession;
  readonly matchCnf?: SlacFrame;
  readonly validation?: { mac: Uint8Array; counting: boolean; toggles: number };
  readonly failure?: SlacFailReason;
  readonly initTimer?: string;
  readonly efTimer?: string;
  readonly keyTimer?: string;
  readonly joinTimer?: string;
  readonly valdTimer?: string;
  readonly timerSeq: number;
}

/** Fill defaults and check an {@link EvseSlacConfig}; throws {@link SlacConfigError} naming the field. */
export function resolveEvseSlacConfig(c: EvseSlacConfig): EvseSlacResolvedConfig {
  if (typeof c.random !== "function")
    throw new SlacConfigError("evse.random is not allowed: must be a function");
  const modem = c.modem ?? "none";
  if (modem !== "none" && modem !== "qca") {
    throw new SlacConfigError(`evse.modem = ${String(modem)} is not allowed: must be "none" or "qca"`);
  }
  return {
    mac: requireMac("evse.mac", c.mac),
    modem,
    random: c.random,
    slacInitMs: requireRange(
      "evse.slacInitMs",
      c.slacInitMs ?? TT_EVSE_SLAC_INIT_MS,
      TT_EVSE_SLAC_INIT_MIN_MS,
      TT_EVSE_SLAC_INIT_MAX_MS,
    ),
    maxParallel: requireRange(
      "evse.maxParallel",
      c.maxParallel ?? C_EVSE_MATCH_PARALLEL,
      1,
      C_EVSE_MATCH_PARALLEL,
      true,
    ),
    validation: c.validation ?? false,
  };
}

/** Initial EVSE state: unplugged (CP A) until a `cp` event says otherwise. */
export function initialEvseSlac(config: EvseSlacConfig): EvseSlacState {
  return {
    config: resolveEvseSlacConfig(config),
    phase: "unplugged",
    keyState: "none",
    seenParmReq: false,
    sequRetries: 0,
    sessions: [],
    early: [],
    timerSeq: 0,
  };
}

/** Mutable copy of the state inside one step. */
export type Draft = { -readonly [K in keyof EvseSlacState]: EvseSlacState[K] };
/** Named timer slots of the EVSE. */
export type Slot = "initTimer" | "efTimer" | "keyTimer" | "joinTimer" | "valdTimer";
const SLOTS: readonly Slot[] = ["initTimer", "efTimer", "keyTimer", "joinTimer", "valdTimer"];

/** Per-step context: the draft state, its sessions, the effects produced so far. */
export class Ctx {
  readonly fx: SlacEffect[] = [];
  sessions: EvseSession[];
  constructor(
    readonly s: Draft,
    readonly now: number,
  ) {
    this.sessions = [...s.sessions];
  }
  get mac(): Uint8Array {
    return this.s.config.mac;
  }
  private newId(name: string, afterMs: number): string {
    const id = `${name}#${this.s.timerSeq++}`;
    this.fx.push({ kind: "set-timer", id, atMs: this.now + afterMs });
    return id;
  }
  arm(slot: Slot, afterMs: number): void {
    this.disarm(slot);
    this.s[slot] = this.newId(slot.replace("Timer", ""), afterMs);
  }
  disarm(slot: Slot): void {
    const id = this.s[slot];
    if (id !== undefined) this.fx.push({ kind: "clear-timer", id });
    this.s[slot] = undefined;
  }
  /** Replace session i; arm its timer (afterMs) or cancel it (undefined). */
  setSession(i: number, next: EvseSession, afterMs?: number): void {
    const old = this.sessions[i]!;
    if (old.timer !== undefined) this.fx.push({ kind: "clear-timer", id: old.timer });
    const timer = afterMs === undefined ? undefined : this.newId(`s:${hex(next.evMac)}`, afterMs);
    this.sessions[i] = { ...next, timer };
  }
  log(level: "debug" | "info" | "warn", msg: string): void {
    this.fx.push({ kind: "log", level, msg: `evse: ${msg}` });
  }
  send(frame: SlacFrame): void {
    this.fx.push({ kind: "send", frame });
  }
  clearAll(): void {
    for (const slot of SLOTS) this.disarm(slot);
    for (let i = 0; i < this.sessions.length; i++) this.setSession(i, this.sessions[i]!);
    this.sessions = [];
    this.s.validation = undefined;
  }
  fail(reason: SlacFailReason): void {
    this.clearAll();
    this.s.phase = "failed";
    this.s.failure = reason;
    this.log("warn", `SLAC failed: ${reason}`);
    this.fx.push({ kind: "failed", reason });
  }
  find(mac: Uint8Array, runId?: Uint8Array): number {
    return this.sessions.findIndex(
      (x) => bytesEqual(x.evMac, mac) && (runId === undefined || bytesEqual(x.runId, runId)),
    );
  }
}
