/**
 * The simulator with ISO-2 Contract payment (Plug & Charge): a PKI issued for the simulator's epoch, a whole
 * DC session paid by contract, and one test per Plug & Charge fault, each ending with its response code and
 * named stop reason (faults.ts) before any energy flows.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { issuePncPki } from "../../link/pki/issuer.js";
import { materialFromPki } from "../../link/pki/material.js";
import { provisioningFromPki } from "../../link/pki/provisioning.js";
import { CERT_FAULT_START, FAULTS, PNC_FAULTS } from "./faults.js";
import { DcSession, type DcSimPnc } from "./session.js";

const EPOCH_S = 1_700_000_000;

describe("simulator: ISO-2 Contract payment", async () => {
  const now = new Date(EPOCH_S * 1000);
  const pki = await issuePncPki({ now });
  const pnc: DcSimPnc = {
    ...(await materialFromPki(pki)),
    epochS: EPOCH_S,
    provisioning: await provisioningFromPki(pki, now),
  };
  const run = (fault?: (typeof PNC_FAULTS)[number], start?: DcSimPnc["start"]) => {
    const names: string[] = [];
    const session = new DcSession({
      batteryKwh: 75,
      socStart: 20,
      targetSoc: 25,
      chargerKw: 150,
      protocol: "iso2",
      seed: 7,
      pnc: { ...pnc, ...(start && { start }) },
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

  for (const start of ["install", "update"] as const)
    test(`the EV ${start}s its contract first (Certificate${start === "install" ? "Installation" : "Update"}), then pays with it`, () => {
      const { r, names } = run(undefined, start);
      assert.equal(r.stopReason, "target SOC reached");
      assert.ok(r.energyDeliveredWh > 0);
      const req = start === "install" ? "CertificateInstallationReq" : "CertificateUpdateReq";
      const i = names.indexOf(req);
      assert.ok(i > 0, names.slice(0, 12).join(","));
      assert.equal(names[i + 1], req.replace(/Req$/, "Res"));
      assert.ok(names.indexOf("PaymentDetailsReq") > i, "PaymentDetails after the certificate service");
      assert.ok(names.includes("AuthorizationRes"));
    });

  for (const name of PNC_FAULTS)
    test(`fault ${name}: ${FAULTS[name].stopReason}, nothing energised`, () => {
      const { r, names } = run(name);
      assert.equal(r.stopReason, FAULTS[name].stopReason, names.join(","));
      assert.equal(r.energyDeliveredWh, 0);
      // an EV-detected fault: the EVSE only sees the connection close (its supervisor trips, nothing energised)
      assert.deepEqual(
        r.safety.map((t) => t.fault),
        FAULTS[name].trips ? ["connection-lost"] : [],
      );
      if (name in CERT_FAULT_START) assert.ok(!names.includes("PaymentDetailsReq"), names.join(","));
    });
});
