/**
 * What a live host reports of one charging session: V2G message counts, protocol, phases, response times,
 * each safety trip with its figures on the host's clock (detection → output-off command, current when the
 * contactors were commanded open, inlet voltage at unlock), and the record events of `--events`.
 * Shared by the EVSE and the EV host. Platform-neutral.
 */
import { bytesToHex } from "../../exi/hex.js";
import {
  type DcSessionPhase,
  dcPhaseAfter,
  ISO20_SERVICE_ID,
  type Iso20ControlMode,
  type Iso20ServiceName,
  type V2gProtocol,
} from "../../v2g/index.js";
import { createLatencyHistogram, histogramAdd, histogramQuantile } from "./latency-histogram.js";
import type { ConnectionTally } from "./network/gate.js";
import type { RecordEvent, RecordType } from "./record.js";
import { roundMs, type TimeStats } from "./stats.js";

/** One safety trip as a live host measured it (host clock, ms since the host started). */
export interface LiveTrip {
  fault: string;
  reason: string;
  detail: string;
  detectedAtMs: number;
  /** The output-off command was handed to the board (EVSE), and how long after detection. */
  offAtMs: number | null;
  offLatencyMs: number | null;
  /**
   * When the trip came from operator input (an `emergency_stop` line on stdin): when that input arrived,
   * and input → output-off command (host clock); null otherwise.
   */
  inputAtMs: number | null;
  inputToOffMs: number | null;
  /** The contactors were commanded open, and the output current measured then (A). */
  contactorsOpenAtMs: number | null;
  currentAtOpenA: number | null;
}

/**
 * The ISO 15118-20 energy service and control mode a session actually ran with (ServiceSelection: ISO 15118-20
 * service IDs and parameter sets), as the side's own machine holds them.
 */
export interface LiveIso20Facts {
  serviceId: number;
  /** Its CLI name ("dc", "dc-bpt", "ac", "ac-bpt"), or null for a ServiceID nacs does not name. */
  service: Iso20ServiceName | null;
  controlMode: Iso20ControlMode;
  /** The authorization service the session was authorised with (AuthorizationReq answered OK): EIM or PnC. */
  authorization?: "EIM" | "PnC";
}

/** The CLI name of a -20 energy service ID, or null. */
export function iso20ServiceName(id: number): Iso20ServiceName | null {
  const hit = Object.entries(ISO20_SERVICE_ID).find(([, v]) => v === id);
  return hit ? (hit[0] as Iso20ServiceName) : null;
}

/** End-of-session report of a live host (`nacs evse` / `nacs ev`). */
export interface LiveSessionSummary {
  side: "secc" | "evcc";
  /** The power path: "dc", or "ac" for ISO 15118-2 AC. */
  mode: "dc" | "ac";
  protocol: V2gProtocol | null;
  /** V2G messages sent plus received, and by name. */
  messages: number;
  messageCounts: Record<string, number>;
  /** EVSE: meter; EV: energy measured into the inlet (Wh). */
  energyDeliveredWh: number;
  stopReason: string | null;
  stopDetail: string;
  /**
   * EVSE: request received → response written; EV: request written → response received. Count and max
   * exact; median and p99 from a histogram (within 1 %, latency-histogram.ts), so that a session of any
   * length keeps a bounded record.
   */
  responseTimesMs: TimeStats;
  /** The first {@link LIVE_SESSION_SAMPLES_PER_MESSAGE} response times of each message (ms), in order. */
  samplesByMessage: Record<string, number[]>;
  phases: { phase: DcSessionPhase; atMs: number }[];
  safety: LiveTrip[];
  /** The board ("sim", "stdio:…", the board's own name) and the V2G transport. */
  board: string;
  transport: string;
  durationMs: number;
  /** EV: SOC at start and end (%), and the inlet voltage when the inlet was unlocked. */
  socStartPercent?: number;
  socEndPercent?: number;
  unlock?: { atMs: number; inletVoltageV: number };
  /** EVSE: the V2G connections since the host started (accepted, sessions, refused by reason). */
  connections?: ConnectionTally;
  /** ISO 15118-20: the energy service and control mode selected (absent before ServiceSelection). */
  iso20?: LiveIso20Facts;
  /**
   * SessionSetups of this session (a paused and resumed session has two or more), and whether a later one
   * joined the paused session (OK_OldSessionJoined, ISO 15118-2 [V2G2-741] / ISO 15118-20 [V2G20-2545]).
   */
  sessionSetups: number;
  resumed: boolean;
  /** EV: the V2G connections it opened for this session (a resumed session opens a second one). */
  v2gConnections?: number;
}

/** How a running session stands (the live progress line of `nacs evse` / `nacs ev`). */
export interface LiveProgress {
  side: "secc" | "evcc";
  mode: "dc" | "ac";
  phase: DcSessionPhase;
  /** Present output (EVSE) or inlet (EV) voltage and current. */
  voltageV: number;
  currentA: number;
  /** Energy delivered so far in this session. */
  energyWh: number;
  /** The EV's state of charge, when known. */
  socPercent: number | null;
  elapsedMs: number;
}

/**
 * Response times kept as samples per message: the first ones of a session (a 200 ms charge loop makes 300 a
 * minute), enough for a bench's window; a session's memory stays bounded however long it charges. Design
 * choice.
 */
export const LIVE_SESSION_SAMPLES_PER_MESSAGE = 1_000;

/** Bookkeeping of one session while it runs. */
export class LiveSession {
  readonly startMs: number;
  protocol: V2gProtocol | null = null;
  stopReason: string | null = null;
  stopDetail = "";
  energyStartWh: number | null = null;
  energyWh = 0;
  phase: DcSessionPhase = "connecting";
  readonly phases: { phase: DcSessionPhase; atMs: number }[] = [];
  readonly safety: LiveTrip[] = [];
  readonly counts: Record<string, number> = {};
  private readonly responses = createLatencyHistogram();
  readonly byMessage: Record<string, number[]> = {};
  socStartPercent?: number;
  socEndPercent?: number;
  unlock?: { atMs: number; inletVoltageV: number };
  iso20?: LiveIso20Facts;
  sessionSetups = 0;
  resumed = false;
  v2gConnections?: number;

  constructor(
    readonly side: "secc" | "evcc",
    private readonly now: () => number,
    private readonly record: (type: RecordType, fields?: Record<string, unknown>) => void,
    readonly mode: "dc" | "ac" = "dc",
    /**
     * Whether `msg` records are wanted (someone listens to the records): a fleet of a thousand sessions
     * without a listener would otherwise hex-encode every V2G message for nothing.
     */
    private readonly recordMessages = true,
    /**
     * Whether the report keeps response times (`responseTimesMs`, `samplesByMessage`): a fleet of thousands
     * of sessions keeps its own, and each session's histogram and samples would only burden the garbage
     * collector.
     */
    private readonly keepResponseTimes = true,
  ) {
    this.startMs = now();
  }

  /**
   * A V2G message sent or received (its name, e.g. "CurrentDemandReq"); `wire`: its V2GTP payload type and
   * payload (the EXI stream as sent, ISO 15118-2 §7.8.3), recorded as `payloadType` and `bytes` (hex) so a
   * viewer can decode it with the codecs.
   */
  message(name: string, dir: "tx" | "rx", wire?: { payloadType: number; bytes: Uint8Array }): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    if (this.recordMessages)
      this.record("msg", {
        dir,
        name,
        ...(wire && { payloadType: wire.payloadType, bytes: bytesToHex(wire.bytes) }),
      });
    const next = dcPhaseAfter(this.phase, name);
    if (next !== this.phase) {
      this.phase = next;
      this.phases.push({ phase: next, atMs: roundMs(this.now() - this.startMs) });
      this.record("phase", { phase: next });
    }
  }

  /** A response time sample (ms) of the exchange answered by `name`. */
  responseTime(name: string, ms: number): void {
    if (!this.keepResponseTimes) return;
    // a host clock never goes back; should one, the sample counts as 0 rather than stop the host
    histogramAdd(this.responses, Math.max(0, ms));
    const list = this.byMessage[name];
    if (list === undefined) this.byMessage[name] = [ms];
    else if (list.length < LIVE_SESSION_SAMPLES_PER_MESSAGE) list.push(ms);
  }

  /**
   * The controller tripped (EVSE), detected at `atMs` (host clock, the one given to the constructor;
   * default now); `inputAtMs`: when the operator input that caused it arrived, if it did.
   */
  trip(
    fault: string,
    reason: string,
    detail: string,
    inputAtMs: number | null = null,
    atMs: number = this.now(),
  ): void {
    this.safety.push({
      fault,
      reason,
      detail,
      detectedAtMs: roundMs(atMs - this.startMs),
      offAtMs: null,
      offLatencyMs: null,
      inputAtMs: inputAtMs === null ? null : roundMs(inputAtMs - this.startMs),
      inputToOffMs: null,
      contactorsOpenAtMs: null,
      currentAtOpenA: null,
    });
    this.stopReason ??= reason;
    this.stopDetail ||= detail;
    this.record("trip", { fault, reason, detail });
  }

  /** The board was told to switch the output off in an emergency, at `atMs` (host clock, default now). */
  outputOff(atMs: number = this.now()): void {
    const t = this.safety[this.safety.length - 1];
    if (!t || t.offAtMs !== null) return;
    t.offAtMs = roundMs(atMs - this.startMs);
    t.offLatencyMs = roundMs(t.offAtMs - t.detectedAtMs);
    if (t.inputAtMs !== null) t.inputToOffMs = roundMs(t.offAtMs - t.inputAtMs);
    this.record("off", {
      fault: t.fault,
      latencyMs: t.offLatencyMs,
      ...(t.inputToOffMs !== null ? { inputToOffMs: t.inputToOffMs } : {}),
    });
  }

  /** The board was told to open the contactors while `currentA` flowed. */
  contactorsOpen(currentA: number): void {
    const t = this.safety[this.safety.length - 1];
    if (!t || t.contactorsOpenAtMs !== null) return;
    t.contactorsOpenAtMs = roundMs(this.now() - this.startMs);
    t.currentAtOpenA = Math.round(currentA * 100) / 100;
  }

  /** The session ended with `reason` (the first reason wins). */
  end(reason: string, detail: string): void {
    this.stopReason ??= reason;
    this.stopDetail ||= detail;
  }

  /** How the session stands now, with the present voltage and current and the SOC if known. */
  progress(voltageV: number, currentA: number, socPercent: number | null): LiveProgress {
    return {
      side: this.side,
      mode: this.mode,
      phase: this.phase,
      voltageV,
      currentA,
      energyWh: this.energyWh - (this.energyStartWh ?? this.energyWh),
      socPercent,
      elapsedMs: this.now() - this.startMs,
    };
  }

  /** The report. */
  summary(board: string, transport: string): LiveSessionSummary {
    const messages = Object.values(this.counts).reduce((a, b) => a + b, 0);
    return {
      side: this.side,
      mode: this.mode,
      protocol: this.protocol,
      messages,
      messageCounts: { ...this.counts },
      energyDeliveredWh: this.energyWh - (this.energyStartWh ?? this.energyWh),
      stopReason: this.stopReason,
      stopDetail: this.stopDetail,
      responseTimesMs: {
        count: this.responses.count,
        median: histogramQuantile(this.responses, 0.5),
        p99: histogramQuantile(this.responses, 0.99),
        max: this.responses.max,
      },
      samplesByMessage: this.byMessage,
      phases: this.phases,
      safety: this.safety,
      board,
      transport,
      durationMs: roundMs(this.now() - this.startMs),
      ...(this.socStartPercent !== undefined ? { socStartPercent: this.socStartPercent } : {}),
      ...(this.socEndPercent !== undefined ? { socEndPercent: this.socEndPercent } : {}),
      ...(this.unlock ? { unlock: this.unlock } : {}),
      ...(this.iso20 ? { iso20: { ...this.iso20 } } : {}),
      sessionSetups: this.sessionSetups,
      resumed: this.resumed,
      ...(this.v2gConnections !== undefined ? { v2gConnections: this.v2gConnections } : {}),
    };
  }

  /** A SessionSetup was answered; `joined`: with OK_OldSessionJoined. */
  sessionSetup(joined: boolean): void {
    this.sessionSetups += 1;
    if (joined) this.resumed = true;
  }

  /** The -20 service selected, when `serviceId` is known (null: not yet). */
  noteIso20(
    serviceId: number | null | undefined,
    controlMode: Iso20ControlMode | null | undefined,
    authorization?: "EIM" | "PnC" | null,
  ): void {
    if (serviceId == null || controlMode == null) return;
    this.iso20 = {
      serviceId,
      service: iso20ServiceName(serviceId),
      controlMode,
      ...(authorization && { authorization }),
    };
  }
}

/** A record sink stamping `t` in seconds since `t0` on `now`. */
export function recordOn(
  now: () => number,
  t0: number,
  sink: ((e: RecordEvent) => void) | undefined,
  side: string,
): (type: RecordType, fields?: Record<string, unknown>) => void {
  return (type, fields = {}) => sink?.({ t: Math.round(now() - t0) / 1000, type, side, ...fields });
}
