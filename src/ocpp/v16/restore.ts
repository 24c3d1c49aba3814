/**
 * OCPP 1.6J: the transaction-related calls a previous run of the charge point queued and never saw
 * answered (restored from its journal after a crash or a power loss), first in the outbox in their order
 * and with their ids. Their transactionId comes from the StartTransaction.conf of the previous run (the
 * journal's `txid` lines) or, for a StartTransaction among them, from its answer in this run (OCPP 1.6
 * §4.8); this run numbers its own transactions above theirs. A transaction of the previous run without a
 * StopTransaction among them was cut by the crash: the charge point stops it with StopTransaction reason
 * PowerLoss (§7.41 Reason) and meterStop = the last energy register it queued. Pure code.
 */
import { isoTime } from "../station-state.js";
import type { OcppCall, StationEffect } from "../types.js";
import type { StationState16 } from "./state.js";

/** The number at the end of a call id (`Action-N`), or 0. */
const callNo = (id: string) => Number(/-(\d+)$/.exec(id)?.[1] ?? 0);

type Sample = { sampledValue?: { value?: string | number; measurand?: string; unit?: string }[] };

/** The last Energy.Active.Import.Register (Wh) among `calls` (MeterValues samples, StartTransaction meterStart). */
function lastRegisterWh(calls: readonly OcppCall[]): number | null {
  let wh: number | null = null;
  for (const c of calls) {
    if (c.action === "StartTransaction" && typeof c.payload.meterStart === "number")
      wh = c.payload.meterStart;
    if (c.action !== "MeterValues") continue;
    for (const mv of (c.payload.meterValue ?? []) as Sample[])
      for (const sv of mv.sampledValue ?? []) {
        if ((sv.measurand ?? "Energy.Active.Import.Register") !== "Energy.Active.Import.Register") continue;
        const v = Number(sv.value);
        if (Number.isFinite(v)) wh = v * (sv.unit === "kWh" ? 1000 : 1);
      }
  }
  return wh;
}

/** Put the restored calls first in the outbox with their transactionIds; stop the transactions the crash cut. */
export function restoreCalls16(
  s0: StationState16,
  calls: readonly OcppCall[],
  txIds: Readonly<Record<number, number>>,
  fx: StationEffect[],
): StationState16 {
  const kept = calls.filter((c) => c.txRelated && c.txLocal !== undefined);
  if (kept.length === 0) return s0;
  const locals = [...new Set(kept.map((c) => c.txLocal as number))];
  let nextCallNo = Math.max(s0.nextCallNo, ...kept.map((c) => callNo(c.id) + 1));
  const ends: OcppCall[] = [];
  for (const local of locals) {
    const mine = kept.filter((c) => c.txLocal === local);
    if (mine.some((c) => c.action === "StopTransaction")) continue;
    const idTag = mine.find((c) => c.action === "StartTransaction")?.payload.idTag;
    const meterStop = Math.round(lastRegisterWh(mine) ?? 0);
    ends.push({
      id: `StopTransaction-${nextCallNo++}`,
      action: "StopTransaction",
      txRelated: true,
      txLocal: local,
      payload: {
        meterStop,
        timestamp: isoTime(s0.nowMs),
        reason: "PowerLoss",
        ...(typeof idTag === "string" && { idTag }),
      },
    });
    fx.push({
      kind: "log",
      level: "warn",
      msg: `transaction ${txIds[local] ?? `#${local}`} of the previous run stopped: PowerLoss (meterStop ${meterStop} Wh)`,
    });
  }
  fx.push({ kind: "log", level: "info", msg: `restored ${kept.length} queued call(s) of the previous run` });
  // behind the call in flight, if any: restored calls are older than anything queued in this run
  const at = s0.inFlight === null ? 0 : 1;
  return {
    ...s0,
    nextCallNo,
    txCount: Math.max(s0.txCount, ...locals),
    txIds: { ...txIds, ...s0.txIds },
    outbox: [...s0.outbox.slice(0, at), ...kept, ...ends, ...s0.outbox.slice(at)],
  };
}
