/**
 * The dashboard's view of one session, built from record events as they arrive (live, from a record file,
 * or from a decoded capture): columns of samples for the plots, phases, trips with their detection → off
 * times, the V2G message list with request → response pairing, the present CP / PP / lock / contactor
 * state and the SLAC / SDP progress. `applyEvents` appends (amortised O(1) per event) so a live session
 * does not rebuild anything per event; `version` counts the batches applied.
 */
import type { RecordEvent } from "../../../src/sim/record/types.js";
import { createPairer, type Pairer } from "./pairing.js";

/** Sample columns (one entry per sample event; null where the event lacks the value). */
export interface SampleColumns {
  t: number[];
  v: (number | null)[];
  i: (number | null)[];
  p: (number | null)[];
  soc: (number | null)[];
  evTargetV: (number | null)[];
  evTargetA: (number | null)[];
  evseMaxA: (number | null)[];
  evseMaxW: (number | null)[];
}
export type SampleKey = Exclude<keyof SampleColumns, "t">;
export const SAMPLE_KEYS: readonly SampleKey[] = [
  "v",
  "i",
  "p",
  "soc",
  "evTargetV",
  "evTargetA",
  "evseMaxA",
  "evseMaxW",
];

export interface PhaseMark {
  t: number;
  phase: string;
}

/** A safety trip: injected fault (if any) → detection (`trip`) → output off (`off`). */
export interface TripMark {
  t: number;
  fault: string;
  reason: string;
  detail: string;
  /** When the fault was injected (a `fault` event before the trip). */
  faultT?: number;
  /** Detection → output off (ms), from the `off` event. */
  latencyMs?: number;
  /** Operator input → output off (ms), when the trip came from a control line. */
  inputToOffMs?: number;
}

export type Party = "ev" | "evse" | "unknown";

export interface MsgRow {
  t: number;
  from: Party;
  name: string;
  /** Hex of the EXI payload or of the whole V2GTP message (live and record sessions that carry it). */
  bytes?: string;
  /** Already decoded (capture viewer). */
  decoded?: unknown;
  schema?: string;
  error?: string;
  /** Index of the request this response answers, and the time between them (ms). */
  reqIndex?: number;
  rttMs?: number;
  /** Index of the response that answered this request. */
  resIndex?: number;
}

export interface SessionStatus {
  cp?: string;
  duty?: number;
  pp?: string;
  s2?: boolean;
  locked?: boolean;
  contactors: { evse?: boolean; ev?: boolean };
  phase?: string;
  stop?: { side?: string; reason?: string; t: number };
  lastT: number;
}

/** One step of the SLAC / SDP / session set-up progress. */
export interface ProgressStep {
  t: number;
  side: string;
  step: string;
}

export interface SessionModel {
  version: number;
  count: number;
  config?: Record<string, unknown>;
  samples: SampleColumns;
  phases: PhaseMark[];
  trips: TripMark[];
  faults: { t: number; name: string }[];
  messages: MsgRow[];
  status: SessionStatus;
  progress: ProgressStep[];
  logs: RecordEvent[];
  summary?: unknown;
  pairer: Pairer;
}

export function createSessionModel(): SessionModel {
  return {
    version: 0,
    count: 0,
    samples: {
      t: [],
      v: [],
      i: [],
      p: [],
      soc: [],
      evTargetV: [],
      evTargetA: [],
      evseMaxA: [],
      evseMaxW: [],
    },
    phases: [],
    trips: [],
    faults: [],
    messages: [],
    status: { contactors: {}, lastT: 0 },
    progress: [],
    logs: [],
    pairer: createPairer(),
  };
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined ? "" : String(v));

/** Sender of a record `msg`: requests come from the EV, responses from the EVSE; else the recorded `from`. */
export function msgParty(e: RecordEvent): Party {
  const name = str(e.name);
  if (name.endsWith("Req")) return "ev";
  if (name.endsWith("Res")) return "evse";
  return e.from === "ev" || e.from === "evse" ? e.from : "unknown";
}

const PROGRESS_LOG = /\bphase (plugged|slac|sdp|session|matched|ended)\b|SLAC|SDP|CM_\w+/i;

function addSample(m: SessionModel, e: RecordEvent): void {
  const s = m.samples;
  s.t.push(e.t);
  for (const k of SAMPLE_KEYS) s[k].push(num(e[k]));
}

function addMsg(m: SessionModel, e: RecordEvent): void {
  const row: MsgRow = { t: e.t, from: msgParty(e), name: str(e.name) };
  if (typeof e.bytes === "string") row.bytes = e.bytes;
  if (e.decoded !== undefined) row.decoded = e.decoded;
  if (typeof e.schema === "string") row.schema = e.schema;
  if (typeof e.error === "string") row.error = e.error;
  const index = m.messages.length;
  const req = m.pairer.push(index, row.name);
  if (req !== undefined) {
    const q = m.messages[req]!;
    row.reqIndex = req;
    row.rttMs = Math.round((e.t - q.t) * 1e6) / 1e3;
    q.resIndex = index;
  }
  m.messages.push(row);
}

function addTrip(m: SessionModel, e: RecordEvent): void {
  const fault = str(e.fault);
  const trip: TripMark = { t: e.t, fault, reason: str(e.reason), detail: str(e.detail) };
  const f = [...m.faults].reverse().find((x) => x.name === fault || fault === "");
  if (f) trip.faultT = f.t;
  m.trips.push(trip);
}

function addOff(m: SessionModel, e: RecordEvent): void {
  const fault = str(e.fault);
  const trip =
    [...m.trips].reverse().find((x) => x.fault === fault && x.latencyMs === undefined) ?? m.trips.at(-1);
  if (!trip) return;
  const lat = num(e.latencyMs);
  const inp = num(e.inputToOffMs);
  if (lat !== null) trip.latencyMs = lat;
  if (inp !== null) trip.inputToOffMs = inp;
}

/** Apply one event. */
export function applyEvent(m: SessionModel, e: RecordEvent): void {
  m.count++;
  if (e.t > m.status.lastT) m.status.lastT = e.t;
  const st = m.status;
  switch (e.type) {
    case "start":
      if (typeof e.config === "object" && e.config !== null) m.config = e.config as Record<string, unknown>;
      break;
    case "sample":
      addSample(m, e);
      if (typeof e.cp === "string") st.cp = e.cp;
      break;
    case "phase":
      m.phases.push({ t: e.t, phase: str(e.phase) });
      st.phase = str(e.phase);
      // a plug-in after an unplug begins the next session of the run: the last one's stop is history
      if (st.phase === "connecting") st.stop = undefined;
      break;
    case "cp":
      st.cp = str(e.state);
      break;
    case "duty":
      st.duty = num(e.duty) ?? undefined;
      break;
    case "contactor":
      if (e.side === "ev" || e.side === "evse") st.contactors[e.side] = e.closed === true;
      break;
    case "s2":
      st.s2 = e.closed === true;
      break;
    case "lock":
      st.locked = e.locked === true;
      break;
    case "msg":
      addMsg(m, e);
      break;
    case "fault":
      m.faults.push({ t: e.t, name: str(e.name) });
      break;
    case "trip":
      addTrip(m, e);
      break;
    case "off":
      addOff(m, e);
      break;
    case "stop":
      st.stop = { side: str(e.side), reason: str(e.reason), t: e.t };
      break;
    case "summary":
      m.summary = e.summary;
      break;
    case "log":
      m.logs.push(e);
      if (PROGRESS_LOG.test(str(e.msg))) m.progress.push({ t: e.t, side: str(e.side), step: str(e.msg) });
      break;
    default:
      if (str(e.type) === "pp") st.pp = str(e.state);
  }
}

/** Apply a batch of events (one animation frame's worth) and bump the version once. */
export function applyEvents(m: SessionModel, events: readonly RecordEvent[]): SessionModel {
  for (const e of events) applyEvent(m, e);
  m.version++;
  return m;
}
