/**
 * Test support for V2G session checks on the simulator (not exported from the package): run the EVSE
 * and EV controllers on the simulated hardware with chosen SECC/EVCC options, and read back the messages
 * as sent (virtual ms), the EV's stop and the EVSE's end.
 */
import type { RecordEvent } from "../record/types.js";
import type { DcSim } from "./dc-sim.js";
import { DcSession, type DcSessionOptions, type DcSessionSummary } from "./session.js";

/** A short ISO 15118-2 DC session (40 kWh, 70 → 74 %, 150 kW, seed 9) for tests of the simulator itself. */
export const SHORT_DC_SESSION: DcSessionOptions = {
  batteryKwh: 40,
  socStart: 70,
  targetSoc: 74,
  chargerKw: 150,
  protocol: "iso2",
  seed: 9,
};

/** One V2G message as sent, at virtual time `tMs`; requests come from the EV, responses from the EVSE. */
export interface SentMessage {
  tMs: number;
  name: string;
  from: "ev" | "evse";
}

/** What a run gives back. */
export interface FlowRun {
  sim: DcSim;
  summary: DcSessionSummary;
  records: RecordEvent[];
  sent: SentMessage[];
  /** The EV's first stop (reason and time), if any. */
  evStop: { tMs: number; reason: string } | null;
  /** The EVCC's abnormal session end ("timeout: V2G_EVCC_Msg_Timeout: …") and its time, if any. */
  evccEnd: { tMs: number; reason: string } | null;
}

const ms = (tS: unknown) => Math.round(Number(tS) * 1000);

/** Run one session; `setup` may script faults and events on the simulator before it starts. */
export function runFlow(o: Partial<DcSessionOptions>, setup?: (sim: DcSim) => void): FlowRun {
  const records: RecordEvent[] = [];
  const session = new DcSession({
    batteryKwh: 60,
    socStart: 79,
    targetSoc: 79.2,
    chargerKw: 150,
    protocol: "iso2",
    seed: 5,
    ...o,
    onRecord: (e) => records.push(e),
  });
  setup?.(session.sim);
  const summary = session.run();
  const sent = records.flatMap((e): SentMessage[] =>
    e.type === "msg"
      ? [{ tMs: ms(e.t), name: String(e.name), from: String(e.name).endsWith("Req") ? "ev" : "evse" }]
      : [],
  );
  const stop = records.find((e) => e.type === "stop" && e.side === "ev");
  const end = records.find(
    (e) => e.type === "log" && e.side === "ev" && String(e.msg).startsWith("V2G session end: "),
  );
  return {
    sim: session.sim,
    summary,
    records,
    sent,
    evStop: stop ? { tMs: ms(stop.t), reason: String(stop.reason) } : null,
    evccEnd: end ? { tMs: ms(end.t), reason: String(end.msg).slice("V2G session end: ".length) } : null,
  };
}

/** Names sent by one side, in order. */
export function namesFrom(r: FlowRun, from: "ev" | "evse"): string[] {
  return r.sent.filter((m) => m.from === from).map((m) => m.name);
}

/** `sub` appears in `xs` in order (not necessarily adjacent). */
export function inOrder(xs: readonly string[], sub: readonly string[]): boolean {
  let i = 0;
  for (const x of xs) if (x === sub[i]) i++;
  return i === sub.length;
}

/** The time (ms) `name` was first / last sent. */
export function sentAt(r: FlowRun, name: string, which: "first" | "last" = "first"): number {
  const all = r.sent.filter((m) => m.name === name);
  const m = which === "first" ? all[0] : all.at(-1);
  if (!m) throw new Error(`${name} was never sent: ${r.sent.map((x) => x.name).join(",")}`);
  return m.tMs;
}

/**
 * Relative error of the energy balance of a summary: |delivered − losses − stored| / |stored|, stored from the
 * SOC change (negative when the EV gave energy back).
 */
export function balanceError(r: {
  batteryKwh: number;
  socEnd: number;
  socStart: number;
  energyDeliveredWh: number;
  lossesWh: number;
}): number {
  const battery = (r.batteryKwh * 1000 * (r.socEnd - r.socStart)) / 100;
  return Math.abs(r.energyDeliveredWh - r.lossesWh - battery) / Math.abs(battery);
}
