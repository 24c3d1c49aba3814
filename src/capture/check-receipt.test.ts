import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCheckReport } from "./check.js";
import { createReceiptChecker } from "./check-receipt.js";
import type { CaptureEvent } from "./decoder.js";

const METER = { MeterID: "M-1", MeterReading: 1234n, TMeter: 1_790_000_000n };

function v2g(t: number, from: "ev" | "evse", type: string, body: Record<string, unknown>): CaptureEvent {
  const message = { Header: { SessionID: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }, Body: { [type]: body } };
  return { t, frame: Math.round(t * 10), layer: "v2g", from, schema: "iso2", type, message, conn: 1 };
}

/** A charge loop where the EVSE asks for a receipt and the EV sends `receipt` as its MeterInfo. */
function loop(receipt: Record<string, unknown>, receiptRequired = true): CaptureEvent[] {
  return [
    v2g(0.0, "ev", "CurrentDemandReq", {}),
    v2g(0.01, "evse", "CurrentDemandRes", {
      ResponseCode: "OK",
      MeterInfo: METER,
      ReceiptRequired: receiptRequired,
    }),
    v2g(0.05, "ev", "MeteringReceiptReq", { SessionID: Uint8Array.of(1), MeterInfo: receipt }),
    v2g(0.06, "evse", "MeteringReceiptRes", { ResponseCode: "OK" }),
  ];
}

const receiptFindings = (events: CaptureEvent[]) =>
  buildCheckReport(events).findings.filter((f) => f.code === "RECEIPT_METER_INFO");

test("check: a receipt that repeats the MeterInfo it was asked for is no finding", () => {
  assert.deepEqual(receiptFindings(loop({ ...METER })), []);
});

test("check: a receipt with another MeterReading is an error naming the field and both values", () => {
  const f = receiptFindings(loop({ ...METER, MeterReading: 1200n }));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, "error");
  assert.equal(f[0]!.frame, 1);
  assert.match(
    f[0]!.message,
    /MeterInfo is not the one of the response that asked for the receipt \(MeterReading 1200, sent 1234\)/,
  );
});

test("check: a missing TMeter or another SigMeterReading is named too; a receipt nobody asked for is not compared", () => {
  const { TMeter: _t, ...noTime } = METER;
  assert.match(receiptFindings(loop(noTime))[0]?.message ?? "", /\(TMeter absent, sent 1790000000\)/);
  const c = createReceiptChecker();
  c.push(1, "ChargingStatusRes", {
    MeterInfo: { ...METER, SigMeterReading: Uint8Array.of(1, 2) },
    ReceiptRequired: true,
  });
  const f = c.push(1, "MeteringReceiptReq", {
    MeterInfo: { ...METER, SigMeterReading: Uint8Array.of(1, 3) },
  });
  assert.match(f?.message ?? "", /\(SigMeterReading 0x0103, sent 0x0102\)/);
  // the next receipt has nothing to be compared with; ReceiptRequired false asks for none
  assert.equal(c.push(1, "MeteringReceiptReq", { MeterInfo: { MeterID: "other" } }), null);
  assert.deepEqual(receiptFindings(loop({ MeterID: "other" }, false)), []);
});
