/**
 * Signed SalesTariffs in a whole ISO-2 Contract session (ISO 15118-2 §7.9.2.4.2), our EVCC and SECC machines
 * back to back: the SECC forwards the MO-signed tariff and its signature unchanged; the EV verifies it with the
 * MO Sub-CA 2 of its contract chain; a tariff signed by another MO is ignored and the session still charges.
 */
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { describe, test } from "node:test";
import { createContract } from "../../v2g/pnc/contract-store.js";
import { flatSalesTariff, signSalesTariff } from "../../v2g/pnc/sales-tariff.js";
import { predictableBytes } from "../../v2g/pnc/testing/fixture.js";
import { runPair, stopEvAfterLoops } from "../../v2g/session/testing/pair.js";
import { issuePncPki, type PncPki } from "./issuer.js";
import { materialFromPki } from "./material.js";

const EPOCH_S = 1_700_000_000;
const NOW = new Date(EPOCH_S * 1000);

async function subCa2Key(pki: PncPki): Promise<Uint8Array> {
  const jwk = await webcrypto.subtle.exportKey("jwk", pki["mo-sub-ca-2"].keys.privateKey);
  return new Uint8Array(Buffer.from(jwk.d!, "base64url"));
}

describe("ISO-2 Contract session with a signed SalesTariff", async () => {
  const pki = await issuePncPki({ now: NOW });
  const otherPki = await issuePncPki({ now: NOW });
  const m = await materialFromPki(pki);
  const run = (signingKey: Uint8Array, payment: "Contract" | "ExternalPayment" = "Contract") => {
    const secc = {
      protocols: ["iso2" as const],
      epochS: EPOCH_S,
      ...(payment === "ExternalPayment" && { paymentOptions: ["ExternalPayment" as const] }),
      pnc: {
        moRoots: m.moRoots,
        v2gRoots: m.v2gRoots,
        randomBytes: predictableBytes(),
        salesTariff: signSalesTariff(flatSalesTariff(86_400), signingKey),
      },
    };
    const ev = {
      protocols: ["iso2" as const],
      epochS: EPOCH_S,
      ...(payment === "Contract" && { contract: createContract(m.contractChain, m.contractKey) }),
    };
    return runPair(ev, secc, stopEvAfterLoops(2));
  };

  test("the tariff signed by the contract's MO Sub-CA 2 is verified, and the session ends normally", async () => {
    const r = run(await subCa2Key(pki));
    assert.equal(r.evse.payment?.option, "Contract");
    assert.equal(r.ev.salesTariff?.tariffs, 1);
    assert.equal(r.ev.salesTariff?.kind, "verified", r.ev.salesTariff?.detail);
    assert.equal(r.evEnd?.reason, "terminated", r.evEnd?.detail);
  });

  test("a tariff signed by another MO is ignored and the session still charges to its end", async () => {
    const r = run(await subCa2Key(otherPki));
    assert.equal(r.ev.salesTariff?.kind, "ignored");
    assert.match(r.ev.salesTariff!.detail, /SalesTariff signature/);
    assert.ok(r.wire.some((w) => w.name === "CurrentDemandReq"));
    assert.equal(r.evEnd?.reason, "terminated", r.evEnd?.detail);
  });

  test("ExternalPayment: no SalesTariff is sent (the MO-signed tariff belongs to Contract sessions)", async () => {
    const r = run(await subCa2Key(pki), "ExternalPayment");
    assert.equal(r.evse.payment?.option, "ExternalPayment");
    assert.equal(r.ev.salesTariff, undefined);
    assert.equal(r.evEnd?.reason, "terminated", r.evEnd?.detail);
  });
});
