/** The summary a hosted session reports at its end (issue 4 §5: CLI summary and `--json`). */
import type { StopReason, V2gProtocol } from "../../v2g/index.js";
import type { CloseInfo } from "../types.js";
import type { TimeStats } from "./stats.js";

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
