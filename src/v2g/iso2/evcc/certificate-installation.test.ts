/**
 * Our EVCC against our SECC with a local CPS, back to back in virtual time (the ISO 15118-2 PnC sequence up
 * to PaymentDetails): the first session installs a contract (ServiceID 2 / set 1, CertificateInstallationReq
 * signed with the OEM key, response checked and decrypted), the second updates it (set 2, signed with the old
 * contract key), and a response signed by anyone but the CPS leaf is discarded with the stop reason
 * `certificate-rejected`. Both sessions go on with PaymentDetailsReq carrying the new contract.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLocalCps } from "../../pnc/cps.js";
import { type PncFixture, pncFixture, x509ChainValidator } from "../../pnc/testing/fixture.js";
import type { EvccConfig } from "../../session/evcc-state.js";
import type { SeccConfig } from "../../session/secc-state.js";
import { runPair } from "../../session/testing/pair.js";

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

function configs(f: PncFixture): { ev: Partial<EvccConfig>; evse: Partial<SeccConfig> } {
  return {
    ev: {
      protocols: ["iso2"],
      epochS: f.epochS + 60,
      pnc: {
        oemCert: f.oem.cert,
        oemPrivateKey: f.oem.key,
        roots: f.roots,
        validateCpsChain: x509ChainValidator(f.roots),
      },
    },
    evse: {
      protocols: ["iso2"],
      cps: f.cps,
      paymentOptions: ["Contract", "ExternalPayment"],
      epochS: f.epochS + 60,
    },
  };
}

const names = (r: ReturnType<typeof runPair>) => r.wire.map((w) => w.name);

test("EVCC ↔ SECC: install a contract in one session, update it in the next", async () => {
  const f = await pncFixture();
  const c = configs(f);
  const r1 = runPair(c.ev, c.evse, { maxSteps: 2_000 });
  assert.deepEqual(names(r1).slice(0, 9), [
    "supportedAppProtocolReq",
    "supportedAppProtocolRes",
    "SessionSetupReq",
    "SessionSetupRes",
    "ServiceDiscoveryReq",
    "ServiceDiscoveryRes",
    "PaymentServiceSelectionReq",
    "PaymentServiceSelectionRes",
    "CertificateInstallationReq",
  ]);
  assert.ok(names(r1).includes("CertificateInstallationRes"));
  const held = r1.ev.contracts?.contracts ?? [];
  assert.equal(held.length, 1);
  assert.ok(eq(held[0]!.privateKey, f.contracts[0].privateKey));
  assert.ok(eq(held[0]!.chain.leaf, f.contracts[0].chain.leaf));
  // the session goes on with PaymentDetailsReq (Contract payment itself is answered elsewhere)
  assert.equal(names(r1)[10], "PaymentDetailsReq");

  // second session: the contract is due for renewal (renew window wider than its validity)
  const ev2 = { ...r1.ev, cfg: { ...r1.ev.cfg, pnc: { ...r1.ev.cfg.pnc!, renewDays: 1_000 } } };
  const r2 = runPair({}, {}, { maxSteps: 2_000, from: { ev: ev2, evse: r1.evse } });
  assert.ok(names(r2).includes("CertificateUpdateReq"), names(r2).join(" "));
  assert.ok(names(r2).includes("CertificateUpdateRes"));
  assert.equal(names(r2)[names(r2).indexOf("CertificateUpdateRes") + 1], "PaymentDetailsReq");
  const after = r2.ev.contracts?.contracts ?? [];
  assert.equal(after.length, 1, "the update replaces the contract of the same eMAID");
  assert.ok(eq(after[0]!.privateKey, f.contracts[1].privateKey));
  assert.notEqual(r2.evEnd?.reason, "certificate-rejected");
});

test("EVCC discards a CertificateInstallationRes not signed by the CPS leaf: certificate-rejected, no contract kept", async () => {
  const f = await pncFixture();
  const c = configs(f);
  // a "CPS" that sends the CPS chain but signs with another key
  const rogue = createLocalCps({ chain: f.cpsChain, privateKey: f.oem.key, contracts: f.contracts });
  const r = runPair(c.ev, { ...c.evse, cps: rogue }, { maxSteps: 2_000 });
  assert.equal(r.evEnd?.reason, "certificate-rejected");
  assert.match(r.evEnd?.detail ?? "", /CertificateInstallationRes discarded: .*SignatureValue/);
  assert.equal(r.ev.contracts?.contracts.length, 0);
  assert.ok(!names(r).includes("PaymentDetailsReq"));
});

test("EVCC without a contract: installs where the service is offered, falls back to ExternalPayment where it is not", async () => {
  const f = await pncFixture();
  const c = configs(f);
  assert.ok(names(runPair(c.ev, c.evse, { maxSteps: 200 })).includes("CertificateInstallationReq"));
  const { cps: _none, ...evse } = c.evse;
  const r = runPair(c.ev, evse, { maxSteps: 200 });
  assert.ok(!names(r).includes("CertificateInstallationReq"));
  assert.ok(names(r).includes("AuthorizationReq"));
});

test("EVCC ↔ SECC: an EV without a contract installs one, then pays with it in the same session (signed Authorization and MeteringReceipt)", async () => {
  const f = await pncFixture();
  const c = configs(f);
  let n = 0;
  let stopAsked = false;
  const evse: Partial<SeccConfig> = {
    ...c.evse,
    receiptRequired: true,
    pnc: {
      moRoots: [new Uint8Array(f.pki["mo-root"].cert.rawData)],
      v2gRoots: f.roots,
      randomBytes: (k: number) =>
        Uint8Array.from({ length: k }, () => {
          n = (n * 73 + 41) & 0xff;
          return n;
        }),
    },
  };
  const r = runPair(c.ev, evse, {
    maxSteps: 4_000,
    onStep: (p, t) => {
      if (stopAsked || p.wire.filter((w) => w.name === "CurrentDemandReq").length < 3) return undefined;
      stopAsked = true;
      return [{ at: t, to: "ev", ev: { kind: "control", control: { op: "stop" }, tMs: t } }];
    },
  });
  const seq = names(r);
  const at = (m: string) => seq.indexOf(m);
  for (const m of [
    "CertificateInstallationRes",
    "PaymentDetailsRes",
    "AuthorizationRes",
    "MeteringReceiptRes",
  ])
    assert.ok(at(m) > 0, `${m} in ${seq.join(" ")}`);
  assert.ok(at("CertificateInstallationRes") < at("PaymentDetailsReq"));
  assert.ok(at("PaymentDetailsRes") < at("AuthorizationReq"));
  // the SECC took the installed contract: the chain validated against the MO root, the signature verified
  assert.equal(r.evse.payment?.option, "Contract");
  assert.ok(eq(r.evse.payment?.contract?.leaf ?? new Uint8Array(0), f.contracts[0].chain.leaf));
  assert.equal(r.evseEnd?.reason, "terminated", r.evseEnd?.detail);
  assert.equal(r.evEnd?.reason, "terminated", r.evEnd?.detail);
});
