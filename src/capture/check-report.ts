/** The report of `nacs decode --check`: findings, response-time statistics and session summaries. Pure types. */
import type { SignatureCheck } from "./check-signatures.js";

/** One finding of the report. */
export interface CheckFinding {
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  t?: number;
  frame?: number;
  conn?: number;
  /** How many times it happened (t/frame: the first time); 1 when absent. */
  count?: number;
}

/** Response-time statistics per message. */
export interface ResponseTimeStat {
  message: string;
  count: number;
  maxS: number;
  meanS: number;
  limitS: number;
  over: number;
}

/** Summary of one V2G session (one TCP connection carrying V2G messages). */
export interface SessionSummary {
  conn: number;
  schema?: string;
  namespace?: string;
  start: number;
  end: number;
  durationS: number;
  messages: number;
  evccId?: string;
  evseId?: string;
  sessionId?: string;
  energyWh?: number;
  peakPowerW?: number;
  peakCurrentA?: number;
  stopReason: string;
}

/** The whole report. */
export interface CheckReport {
  sessions: SessionSummary[];
  responseTimes: ResponseTimeStat[];
  findings: CheckFinding[];
  counts: { errors: number; warnings: number; infos: number };
  /** Every signed ISO 15118-2 message and what became of its signature (Plug & Charge). */
  signatures: SignatureCheck[];
}
