/**
 * The EVCC catalogue (the car under test) is sound data: at least 35 cases over DIN 70121 and ISO 15118-2,
 * unique IDs of the form evcc-<protocol>-<group>-nnn, in CATALOGUE, each citing a requirement of its
 * standard, its trigger a response our SECC sends in that protocol's DC EIM session (or the car's SDP
 * request), its expectation one of a car under test, and every group present for both protocols.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EVCC_CATALOGUE } from "./catalogue/evcc.js";
import { CATALOGUE } from "./catalogue/index.js";

/** The responses of our SECC's DC EIM session, by protocol, and SDP. */
const RESPONSES = {
  din: [
    "supportedAppProtocolRes",
    "SessionSetupRes",
    "ServiceDiscoveryRes",
    "ServicePaymentSelectionRes",
    "ContractAuthenticationRes",
    "ChargeParameterDiscoveryRes",
    "CableCheckRes",
    "PreChargeRes",
    "PowerDeliveryRes",
    "CurrentDemandRes",
    "WeldingDetectionRes",
    "SessionStopRes",
    "SDP",
  ],
  iso2: [
    "supportedAppProtocolRes",
    "SessionSetupRes",
    "ServiceDiscoveryRes",
    "PaymentServiceSelectionRes",
    "AuthorizationRes",
    "ChargeParameterDiscoveryRes",
    "CableCheckRes",
    "PreChargeRes",
    "PowerDeliveryRes",
    "CurrentDemandRes",
    "WeldingDetectionRes",
    "SessionStopRes",
    "SDP",
  ],
} as const;

test("at least 35 EVCC cases in CATALOGUE, unique IDs evcc-<protocol>-<group>-nnn, each citing its standard", () => {
  assert.ok(EVCC_CATALOGUE.length >= 35, `${EVCC_CATALOGUE.length} cases`);
  const inCatalogue = CATALOGUE.filter((c) => c.sut === "evcc");
  assert.deepEqual(
    inCatalogue.map((c) => c.id),
    EVCC_CATALOGUE.map((c) => c.id),
  );
  const ids = CATALOGUE.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, "IDs are unique over the whole catalogue");
  for (const c of EVCC_CATALOGUE) {
    assert.match(c.id, /^evcc-(din|iso2)-(normal|seq|value|timing|transport|j3400)-\d{3}$/, c.id);
    assert.ok(c.id.includes(`-${c.protocols[0]}-`), `${c.id}: protocol in the ID`);
    assert.ok(c.requirement.length > 0, `${c.id}: requirement`);
    for (const r of c.requirement)
      assert.ok(
        /\[V2G2-\d{3}\]|DIN 70121|ISO 15118-2|IEC 61851|SAE J3400/.test(r),
        `${c.id}: "${r}" names its standard`,
      );
    if (c.protocols[0] === "din")
      assert.ok(
        !c.requirement.some((r) => r.includes("V2G2-") || r.includes("ISO 15118-2")),
        `${c.id}: ISO on DIN`,
      );
    assert.ok(c.expect.kind.startsWith("ev-"), `${c.id}: ${c.expect.kind} is an expectation of a car`);
  }
});

test("every EVCC trigger is a response our SECC sends in that protocol's DC EIM session, or SDP", () => {
  for (const c of EVCC_CATALOGUE) {
    if (c.tester.kind === "normal") continue;
    for (const p of c.protocols) {
      assert.ok(p !== "iso20", `${c.id}: no ISO 15118-20 car cases yet`);
      assert.ok(
        (RESPONSES[p] as readonly string[]).includes(c.tester.at.message),
        `${c.id}: ${c.tester.at.message}`,
      );
    }
  }
});

test("every EVCC group has cases for DIN and for ISO 15118-2", () => {
  for (const g of ["normal", "sequence", "value", "timing", "transport", "j3400"])
    for (const p of ["din", "iso2"] as const)
      assert.ok(
        EVCC_CATALOGUE.some((c) => c.group === g && c.protocols.includes(p)),
        `${g} / ${p}`,
      );
});
