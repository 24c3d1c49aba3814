/**
 * OCPP 2.0.1: the calls a previous run of the station queued and never saw answered (restored from its
 * journal after a crash or a power loss). They go first in the outbox, in their order and with their ids
 * (sent once the CSMS accepted the BootNotification, B02). A transaction of the previous run whose Ended
 * event is not among them was cut by the crash: the station ends it with one more TransactionEvent,
 * eventType Ended, triggerReason AbnormalCondition, stoppedReason PowerLoss, its seqNo the next of that
 * transaction (E07: seqNo counts the transaction's messages without gaps), marked `offline`. Pure code.
 */
import type { StationState } from "./station-state.js";
import { isoTime } from "./station-state.js";
import type { OcppCall, StationEffect } from "./types.js";

interface TxPayload {
  eventType?: string;
  seqNo?: number;
  transactionInfo?: { transactionId?: string; chargingState?: string };
  evse?: unknown;
}

/** The number at the end of a call id (`Action-N`), or 0. */
function callNo(id: string): number {
  const m = /-(\d+)$/.exec(id);
  return m ? Number(m[1]) : 0;
}

/** Put the restored calls first in the outbox; end the transactions the crash cut (PowerLoss). */
export function restoreCalls(
  s0: StationState,
  calls: readonly OcppCall[],
  fx: StationEffect[],
): StationState {
  if (calls.length === 0) return s0;
  const kept = calls.filter((c) => c.txRelated);
  // the last event of each transaction among the restored ones, in order of first appearance
  const last = new Map<string, TxPayload>();
  for (const c of kept) {
    if (c.action !== "TransactionEvent") continue;
    const p = c.payload as TxPayload;
    const txId = p.transactionInfo?.transactionId;
    if (typeof txId === "string") last.set(txId, p);
  }
  let nextCallNo = Math.max(s0.nextCallNo, ...kept.map((c) => callNo(c.id) + 1));
  const ends: OcppCall[] = [];
  for (const [transactionId, p] of last) {
    if (p.eventType === "Ended") continue;
    const id = `TransactionEvent-${nextCallNo++}`;
    ends.push({
      id,
      action: "TransactionEvent",
      txRelated: true,
      payload: {
        eventType: "Ended",
        timestamp: isoTime(s0.nowMs),
        triggerReason: "AbnormalCondition",
        seqNo: (p.seqNo ?? 0) + 1,
        transactionInfo: { transactionId, chargingState: "Idle", stoppedReason: "PowerLoss" },
        ...(p.evse !== undefined && { evse: p.evse }),
        offline: true,
      },
    });
    fx.push({
      kind: "log",
      level: "warn",
      msg: `transaction ${transactionId} of the previous run ended: PowerLoss (AbnormalCondition)`,
    });
  }
  fx.push({
    kind: "log",
    level: "info",
    msg: `restored ${kept.length} queued call(s) of the previous run`,
  });
  // behind the call in flight, if any: restored calls are older than anything queued in this run
  const at = s0.inFlight === null ? 0 : 1;
  const outbox = [...s0.outbox.slice(0, at), ...kept, ...ends, ...s0.outbox.slice(at)];
  return { ...s0, nextCallNo, outbox };
}
