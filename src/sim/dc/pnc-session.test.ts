/**
 * The simulator with ISO-2 Contract payment (Plug & Charge): a PKI issued for the simulator's epoch, a whole
 * DC session paid by contract, and one test per Plug & Charge fault, each ending with its response code and
 * named stop reason (faults.ts) before any energy flows.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { issuePncPki } from "../../link/pki/issuer.js";
import { materialFromPki } from "../../link/pki/material.js";
import { FAULTS, PNC_FAULTS } from "./faults.js";
import { DcSession, type DcSimPnc } from "./session.js";

const EPOCH_S = 1_700_000_000;

describe("simulator: ISO-2 Contract payment", async () => {
  const pnc: DcSimPnc = {
    ...(await materialFromPki(await issuePncPki({ now: new Date(EPOCH_S * 1000) }))),
    epochS: EPOCH_S,
  };
  const run = (fault?: (typeof PNC_FAULTS)[number]) => {
    const names: string[] = [];
    const session = new DcSession({
      batteryKwh: 75,
      socStart: 20,
      targetSoc: 25,
      chargerKw: 150,
      protocol: "iso2",
      seed: 7,
      pnc,
      ...(fault && { fault }),
      onRecord: (e) => {
        if (e.type === "msg") names.push(String(e.name));
      },
    });
    return { r: session.run(), names };
  };

  test("a whole DC session paid by contract: PaymentDetails, signed Authorization, target SOC", () => {
    const { r, names } = run();
    assert.equal(r.stopReason, "target SOC reached");
    assert.ok(r.energyDeliveredWh > 0);
    assert.ok(names.includes("PaymentDetailsReq"), names.slice(0, 12).join(","));
    assert.ok(names.includes("PaymentDetailsRes"));
  });

  for (const name of PNC_FAULTS)
    test(`fault ${name}: ${FAULTS[name].stopReason}, nothing energised`, () => {
      const { r } = run(name);
      assert.equal(r.stopReason, FAULTS[name].stopReason);
      assert.equal(r.energyDeliveredWh, 0);
      assert.deepEqual(r.safety, []);
    });
});
