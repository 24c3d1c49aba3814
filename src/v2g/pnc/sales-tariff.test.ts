/**
 * Signed SalesTariffs (ISO 15118-2 §7.9.2.4.2): the MO Sub-CA 2 signs, the EVCC verifies with the Sub-CA 2 of
 * its contract chain; a missing, foreign or altered signature makes the EV ignore the tariffs (never a stop).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as iso2 from "../../codecs/iso2/index.js";
import {
  checkSalesTariffs,
  flatSalesTariff,
  type SignedSalesTariff,
  signSalesTariff,
} from "./sales-tariff.js";
import { pncFixture, scalar } from "./testing/fixture.js";

const pv = (Value: number, Multiplier: number, Unit: iso2.unitSymbolType) => ({ Value, Multiplier, Unit });
const SID = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

function cpdRes(
  t: SignedSalesTariff | { tariff: iso2.SalesTariffType; signature?: undefined },
): iso2.V2G_Message {
  return {
    Header: { SessionID: SID, ...(t.signature && { Signature: t.signature }) },
    Body: {
      ChargeParameterDiscoveryRes: {
        ResponseCode: "OK",
        EVSEProcessing: "Finished",
        DC_EVSEChargeParameter: {
          DC_EVSEStatus: { NotificationMaxDelay: 0, EVSENotification: "None", EVSEStatusCode: "EVSE_Ready" },
          EVSEMaximumCurrentLimit: pv(500, 0, "A"),
          EVSEMaximumPowerLimit: pv(150, 3, "W"),
          EVSEMaximumVoltageLimit: pv(1000, 0, "V"),
          EVSEMinimumCurrentLimit: pv(0, 0, "A"),
          EVSEMinimumVoltageLimit: pv(150, 0, "V"),
          EVSEPeakCurrentRipple: pv(2, 0, "A"),
        },
        SAScheduleList: {
          SAScheduleTuple: [
            {
              SAScheduleTupleID: 1,
              PMaxSchedule: {
                PMaxScheduleEntry: [
                  {
                    RelativeTimeInterval: { start: 0, duration: 86_400 },
                    PMax: pv(150, 3, "W"),
                  },
                ],
              },
              SalesTariff: t.tariff,
            },
          ],
        },
      },
    },
  };
}

async function material() {
  const f = await pncFixture();
  const chain = [f.contracts[0].chain.leaf, ...f.contracts[0].chain.subCas];
  const subCa2Key = await scalar(f.pki["mo-sub-ca-2"]);
  return { f, chain, subCa2Key };
}

test("a SalesTariff signed by the contract's MO Sub-CA 2 verifies, also after the ISO-2 codec", async () => {
  const { chain, subCa2Key } = await material();
  const m = cpdRes(signSalesTariff(flatSalesTariff(86_400), subCa2Key));
  const c = checkSalesTariffs(m, "Contract", chain);
  assert.equal(c?.kind, "verified", c?.detail);
  assert.equal(c?.tariffs, 1);
  const back = iso2.decode(iso2.encode(m));
  assert.equal(checkSalesTariffs(back, "Contract", chain)?.kind, "verified");
});

test("no SalesTariff: nothing to check; ExternalPayment: unchecked", async () => {
  const { chain, subCa2Key } = await material();
  const m = cpdRes(signSalesTariff(flatSalesTariff(86_400), subCa2Key));
  const none = structuredClone(m);
  delete none.Body.ChargeParameterDiscoveryRes!.SAScheduleList!.SAScheduleTuple[0]!.SalesTariff;
  assert.equal(checkSalesTariffs(none, "Contract", chain), undefined);
  assert.equal(checkSalesTariffs(m, "ExternalPayment", undefined)?.kind, "unchecked");
});

test("ignored, never fatal: no signature, another signer, no Sub-CA in the chain, an altered tariff", async () => {
  const { f, chain, subCa2Key } = await material();
  const unsigned = checkSalesTariffs(cpdRes({ tariff: flatSalesTariff(86_400) }), "Contract", chain);
  assert.equal(unsigned?.kind, "ignored");
  assert.match(unsigned!.detail, /without a header Signature/);
  const foreign = cpdRes(signSalesTariff(flatSalesTariff(86_400), f.cpsKey));
  const byCps = checkSalesTariffs(foreign, "Contract", chain);
  assert.equal(byCps?.kind, "ignored");
  assert.match(byCps!.detail, /SIG_VALUE|signature/i);
  const leafOnly = checkSalesTariffs(cpdRes(signSalesTariff(flatSalesTariff(60), subCa2Key)), "Contract", [
    chain[0]!,
  ]);
  assert.equal(leafOnly?.kind, "ignored");
  assert.match(leafOnly!.detail, /no MO Sub-CA 2/);
  // the signed tariff with another price level: the Reference's digest no longer matches
  const signed = signSalesTariff(flatSalesTariff(86_400), subCa2Key);
  const altered = cpdRes({
    ...signed,
    tariff: {
      ...signed.tariff,
      SalesTariffEntry: [{ ...signed.tariff.SalesTariffEntry[0]!, EPriceLevel: 2 }],
    },
  });
  const a = checkSalesTariffs(altered, "Contract", chain);
  assert.equal(a?.kind, "ignored");
  assert.match(a!.detail, /Reference #tariff1 \(SalesTariff\): DigestValue/);
});

test("a flipped bit in the encoded response: the tariff is verified unchanged, or ignored, or the message does not decode", async () => {
  const { chain, subCa2Key } = await material();
  const m = cpdRes(signSalesTariff(flatSalesTariff(86_400), subCa2Key));
  const bytes = iso2.encode(m);
  const original = iso2.decode(bytes);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: bytes.length * 8 - 1 }), (bit) => {
      const b = bytes.slice();
      b[bit >> 3]! ^= 0x80 >> (bit & 7);
      let d: iso2.V2G_Message;
      try {
        d = iso2.decode(b);
      } catch {
        return;
      }
      const c = checkSalesTariffs(d, "Contract", chain);
      if (c?.kind !== "verified") return;
      // verified: the signed SalesTariff must be the original one (other fields are unsigned)
      assert.deepEqual(
        d.Body.ChargeParameterDiscoveryRes?.SAScheduleList?.SAScheduleTuple[0]?.SalesTariff,
        original.Body.ChargeParameterDiscoveryRes?.SAScheduleList?.SAScheduleTuple[0]?.SalesTariff,
        `bit ${bit}`,
      );
    }),
    { numRuns: 300, seed: 20_261_205 },
  );
});
