/**
 * The test CSMS's OCPP 1.6 side (OCPP 1.6 §4 Core answers, with the ISO 15118 Plug & Charge DataTransfer
 * messages of the Open Charge Alliance's "Using ISO 15118 Plug & Charge with OCPP 1.6"), and the energy
 * register of meter values that both versions' transactions are recorded with.
 */
import { PNC16_VENDOR_ID } from "../../ocpp/ev-certificate.js";
import type { CsmsTransaction } from "./csms.js";

/** Energy.Active.Import.Register of a TransactionEvent's meter values (the last one), or null. */
export function energyOf(p: Record<string, unknown>): number | null {
  let wh: number | null = null;
  for (const mv of (p.meterValue ?? p.transactionData ?? []) as {
    sampledValue: {
      value: number | string;
      measurand?: string;
      /** 1.6: the unit, a string */
      unit?: string;
      unitOfMeasure?: { unit?: string; multiplier?: number };
    }[];
  }[])
    for (const sv of mv.sampledValue)
      if ((sv.measurand ?? "Energy.Active.Import.Register") === "Energy.Active.Import.Register") {
        const unit = sv.unitOfMeasure?.unit ?? sv.unit ?? "Wh";
        const v = Number(sv.value);
        if (Number.isFinite(v))
          wh = v * 10 ** (sv.unitOfMeasure?.multiplier ?? 0) * (unit === "kWh" ? 1000 : 1);
      }
  return wh;
}

export type Answer = (action: string, f: (p: Record<string, unknown>) => Record<string, unknown>) => void;

/**
 * The OCPP 1.6 Core answers (OCPP 1.6 §4): every idTag Accepted, transactionIds 1, 2, … of this CSMS; the
 * transaction record from StartTransaction (§4.8), MeterValues (§4.7) and StopTransaction (§4.10).
 */
export function answer16(
  id: string,
  answer: Answer,
  o: {
    lastTx: Map<string, string | number>;
    transactions: Record<string, CsmsTransaction>;
    next: () => number;
    evCertificate: (p: Record<string, unknown>) => Record<string, unknown>;
  },
): void {
  const accepted = { idTagInfo: { status: "Accepted" } };
  const event = (txId: number, eventType: string, triggerReason: string) => {
    // a transaction this CSMS did not start (it restarted; the station queued its messages across that):
    // recorded from what arrives (§4.10: a StopTransaction is answered whatever the transactionId)
    o.transactions[String(txId)] ??= {
      identity: id,
      protocol: "ocpp1.6",
      events: [],
      lastEnergyWh: null,
      endedEnergyWh: null,
      stoppedReason: null,
    };
    const tx = o.transactions[String(txId)]!;
    tx.events.push({ eventType, triggerReason, seqNo: tx.events.length });
    return tx;
  };
  answer("StatusNotification", () => ({}));
  answer("Authorize", () => accepted);
  // ISO 15118 Plug & Charge over 1.6 (OCA whitepaper): the 2.0.1 messages as JSON text in a DataTransfer —
  // Authorize (every contract accepted, as every idTag) and Get15118EVCertificate
  answer("DataTransfer", (p) => {
    if (p.vendorId !== PNC16_VENDOR_ID) return { status: "UnknownVendorId" };
    if (p.messageId === "Authorize")
      return {
        status: "Accepted",
        data: JSON.stringify({ idTokenInfo: { status: "Accepted" }, certificateStatus: "Accepted" }),
      };
    if (p.messageId !== "Get15118EVCertificate") return { status: "UnknownMessageId" };
    let inner: Record<string, unknown>;
    try {
      inner = JSON.parse(String(p.data ?? "")) as Record<string, unknown>;
    } catch {
      return { status: "Rejected", data: "data is not JSON" };
    }
    return { status: "Accepted", data: JSON.stringify(o.evCertificate(inner)) };
  });
  answer("StartTransaction", (p) => {
    const txId = o.next();
    o.lastTx.set(id, txId);
    o.transactions[String(txId)] = {
      identity: id,
      protocol: "ocpp1.6",
      events: [],
      meterStartWh: Number(p.meterStart),
      lastEnergyWh: Number(p.meterStart),
      endedEnergyWh: null,
      stoppedReason: null,
    };
    event(txId, "Started", "StartTransaction");
    return { transactionId: txId, ...accepted };
  });
  answer("MeterValues", (p) => {
    if (p.transactionId === undefined) return {};
    const context =
      ((p.meterValue as { sampledValue: { context?: string }[] }[])[0]?.sampledValue[0]?.context as string) ??
      "Sample.Periodic";
    const tx = event(Number(p.transactionId), "Updated", context);
    const wh = energyOf(p);
    if (tx && wh !== null) tx.lastEnergyWh = wh;
    return {};
  });
  answer("StopTransaction", (p) => {
    const tx = event(Number(p.transactionId), "Ended", "StopTransaction");
    if (tx) {
      tx.meterStopWh = Number(p.meterStop);
      tx.endedEnergyWh = Number(p.meterStop);
      // §7.36: an absent reason means Local
      tx.stoppedReason = typeof p.reason === "string" ? p.reason : "Local";
    }
    return p.idTag !== undefined ? accepted : {};
  });
}
