/** The summary a hosted session reports at its end (CLI summary and `--json`). */
import type { StopReason, V2gProtocol } from "../../v2g/index.js";
import type { CloseInfo, V2gConnection } from "../types.js";
import type { DriverEnd } from "./session-driver.js";
import { addSample, roundMs, type TimeStats, timeStats } from "./stats.js";

/** DC or AC charging, as the CLI's `--mode` names it. */
export type ChargeMode = "dc" | "ac";

/** End-of-session report of one side. */
export interface SessionSummary {
  side: "secc" | "evcc";
  /** Connection id ("tcp#3") and transport. */
  conn: string;
  transport: string;
  /** Negotiated protocol (null when the handshake did not finish). */
  protocol: V2gProtocol | null;
  mode: ChargeMode;
  /** V2GTP messages received plus sent by this side. */
  messages: number;
  /** SECC: meter reading; EV: energy into the battery terminals (Wh). */
  energyDeliveredWh: number;
  /** The machine's stop reason (null: the connection ended before the machine reported one). */
  stopReason: StopReason | null;
  stopDetail: string;
  /** How the connection closed (e.g. "protocol-error" for a bad V2GTP header). */
  close: CloseInfo;
  /** SECC: time from request fully received to response written; EV: round trip per request. */
  responseTimesMs: TimeStats;
  /** The same samples by response name (e.g. "CurrentDemandRes"), in order. */
  samplesByMessage: Record<string, number[]>;
  durationMs: number;
  /** EV only: SOC at start and end (%). */
  socStartPercent?: number;
  socEndPercent?: number;
}

/** Response-time samples of one side: all of them, and by response name. */
export class ResponseSamples {
  readonly all: number[] = [];
  readonly byMessage: Record<string, number[]> = {};
  add(name: string, ms: number): void {
    this.all.push(ms);
    addSample(this.byMessage, name, ms);
  }
}

/** The fields both sides report the same way, from the driver's end report. */
export function sessionSummary(
  side: SessionSummary["side"],
  conn: V2gConnection,
  protocol: V2gProtocol | null,
  mode: ChargeMode,
  end: DriverEnd,
  energyWh: number,
  rt: ResponseSamples,
): SessionSummary {
  return {
    side,
    conn: conn.id,
    transport: conn.transport,
    protocol,
    mode,
    messages: end.messagesIn + end.messagesOut,
    energyDeliveredWh: energyWh,
    stopReason: end.stopReason,
    stopDetail: end.detail,
    close: end.close,
    responseTimesMs: timeStats(rt.all),
    samplesByMessage: rt.byMessage,
    durationMs: roundMs(end.durationMs),
  };
}
