/**
 * ISO 15118-2 MeteringReceipt at the SECC: the receipt must carry back the MeterInfo of the response that
 * asked for it (ReceiptRequired), as RISE-V2G and EcoG-io/iso15118 check; another MeterInfo is answered
 * FAILED_MeteringSignatureNotValid and ends the session. A receipt nobody asked for is not compared.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { dcToChargeLoop, ends, request, startSecc, through } from "../../session/testing/drive-secc.js";
import type { MsgName } from "../../session/types.js";

const TO_AUTH: MsgName[] = ["SessionSetup", "ServiceDiscovery", "PaymentSelection", "Authorization"];

/** An ISO-2 DC session in its charge loop; the last CurrentDemandRes's MeterInfo. */
function inLoop(receiptRequired: boolean) {
  const d = startSecc("iso2", { receiptRequired, meterId: "METER-1" });
  through(d, [...TO_AUTH, "ChargeParameterDiscovery"]);
  dcToChargeLoop(d);
  const cd = request(d, "CurrentDemand");
  assert.equal(cd?.body.ReceiptRequired, receiptRequired);
  return { d, meter: cd?.body.MeterInfo as Record<string, unknown> };
}

const receipt = (d: ReturnType<typeof inLoop>["d"], meter: Record<string, unknown>) =>
  request(d, "MeteringReceipt", { patch: (b) => ({ ...b, MeterInfo: meter }) })?.body.ResponseCode;

test("MeteringReceipt: the MeterInfo that was asked to be signed, echoed → OK", () => {
  const { d, meter } = inLoop(true);
  assert.equal(typeof meter.MeterReading, "bigint");
  assert.equal(receipt(d, meter), "OK");
  assert.deepEqual(ends(d), []);
});

test("MeteringReceipt: another MeterReading, MeterID or TMeter → FAILED_MeteringSignatureNotValid, the session ends", () => {
  for (const change of [
    (m: Record<string, unknown>) => ({ ...m, MeterReading: (m.MeterReading as bigint) + 1n }),
    (m: Record<string, unknown>) => ({ ...m, MeterID: "METER-2" }),
    (m: Record<string, unknown>) => ({ ...m, TMeter: (m.TMeter as bigint) - 1n }),
  ]) {
    const { d, meter } = inLoop(true);
    assert.equal(receipt(d, change(meter)), "FAILED_MeteringSignatureNotValid");
    const e = ends(d);
    assert.equal(e.length, 1);
    assert.equal(e[0]!.reason, "metering-signature-invalid");
    assert.match(e[0]!.detail, /MeterInfo is not the one to be signed \((MeterReading|MeterID|TMeter) /);
  }
});

test("MeteringReceipt: a receipt nobody asked for is answered without comparing its MeterInfo", () => {
  const { d, meter } = inLoop(false);
  assert.equal(receipt(d, { ...meter, MeterReading: 1n }), "OK");
});
