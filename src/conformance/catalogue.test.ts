/**
 * The catalogue is sound data: at least 40 SECC cases over DIN 70121 and ISO 15118-2, unique IDs of the
 * documented form, every case citing a requirement, its trigger a request our EV sends in a DC EIM session
 * of that protocol, and every group present for both protocols. The ID glob of `--cases`. The profile.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOGUE, caseGlob } from "./catalogue/index.js";
import { defaultProfile, parseProfile } from "./profile.js";

/** The SECC-under-test cases (the car-under-test ones: catalogue-evcc.test.ts). */
const SECC_CASES = CATALOGUE.filter((c) => c.sut === "secc");

/** The requests of our EV's DC EIM session, by protocol. */
const REQUESTS = {
  din: [
    "supportedAppProtocolReq",
    "SessionSetupReq",
    "ServiceDiscoveryReq",
    "ServicePaymentSelectionReq",
    "ContractAuthenticationReq",
    "ChargeParameterDiscoveryReq",
    "CableCheckReq",
    "PreChargeReq",
    "PowerDeliveryReq",
    "CurrentDemandReq",
    "WeldingDetectionReq",
    "SessionStopReq",
  ],
  iso2: [
    "supportedAppProtocolReq",
    "SessionSetupReq",
    "ServiceDiscoveryReq",
    "PaymentServiceSelectionReq",
    "AuthorizationReq",
    "ChargeParameterDiscoveryReq",
    "CableCheckReq",
    "PreChargeReq",
    "PowerDeliveryReq",
    "CurrentDemandReq",
    "WeldingDetectionReq",
    "SessionStopReq",
  ],
} as const;

test("at least 40 SECC cases, unique IDs of the form secc-<protocol>-<group>-nnn, each citing a requirement", () => {
  assert.ok(SECC_CASES.length >= 40, `${SECC_CASES.length} cases`);
  const ids = SECC_CASES.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, "IDs are unique");
  for (const c of SECC_CASES) {
    assert.match(c.id, /^secc-(din|iso2)-(normal|seq|value|timing|transport|j3400)-\d{3}$/, c.id);
    assert.equal(c.sut, "secc");
    assert.ok(c.id.includes(`-${c.protocols[0]}-`), `${c.id}: protocol in the ID`);
    assert.ok(
      c.requirement.length > 0 && c.requirement.every((r) => r.trim().length > 0),
      `${c.id}: requirement`,
    );
    for (const r of c.requirement)
      assert.ok(
        /\[V2G2-\d{3}\]|\[V2G-DC-\d{3}\]|DIN 70121|ISO 15118-2|IEC 61851-1/.test(r),
        `${c.id}: "${r}" names its standard`,
      );
    // a DIN case cites DIN, an ISO-2 case ISO 15118-2 ([V2G2-…] are ISO 15118-2 IDs)
    if (c.protocols[0] === "din")
      assert.ok(!c.requirement.some((r) => r.includes("V2G2-")), `${c.id}: ISO ID on DIN`);
  }
});

test("every trigger is a request our EV sends in that protocol's DC EIM session", () => {
  for (const c of SECC_CASES) {
    if (c.tester.kind === "normal") continue;
    for (const p of c.protocols)
      assert.ok(
        (REQUESTS[p] as readonly string[]).includes(c.tester.at.message),
        `${c.id}: ${c.tester.at.message}`,
      );
  }
});

test("every group has cases for DIN and for ISO 15118-2", () => {
  for (const g of ["normal", "sequence", "value", "timing", "transport", "j3400"])
    for (const p of ["din", "iso2"] as const)
      assert.ok(
        SECC_CASES.some((c) => c.group === g && c.protocols.includes(p)),
        `${g} / ${p}`,
      );
});

test("--cases GLOB: * and ? over IDs, comma-separated alternatives", () => {
  const g = caseGlob("secc-din-seq-00?,secc-*-timing-*");
  assert.ok(g("secc-din-seq-001"));
  assert.ok(!g("secc-din-seq-010"));
  assert.ok(g("secc-iso2-timing-003"));
  assert.ok(!g("secc-iso2-value-001"));
  assert.ok(caseGlob("secc-din-seq-001")("secc-din-seq-001"));
  assert.ok(!caseGlob("secc.din")("seccXdin"), "a dot is literal");
});

test("profile: the standard's limits by default; JSON or YAML overrides; errors name the field", () => {
  const d = defaultProfile();
  assert.equal(d.limits.sequenceTimeoutMs, 60_000);
  const p = parseProfile(
    "name: lab\nlimits:\n  sequenceTimeoutMs: 2000\nskip:\n  secc-din-timing-001: no time\n",
  );
  assert.equal(p.limits.sequenceTimeoutMs, 2000);
  assert.equal(p.limits.chargeLoopTimeoutMs, 2000, "the charge-loop limit follows the sequence timeout");
  assert.equal(p.limits.performanceMs.CurrentDemandRes, d.limits.performanceMs.CurrentDemandRes);
  assert.deepEqual(p.skip, { "secc-din-timing-001": "no time" });
  assert.throws(() => parseProfile('{"limits":{"sequenceTimeoutMs":-1}}'), /limits\.sequenceTimeoutMs/);
  assert.throws(
    () => parseProfile('{"skip":{"secc-din-seq-001":""}}'),
    /skip\.secc-din-seq-001: give the reason/,
  );
  assert.throws(() => parseProfile('{"colour":"red"}'), /colour|Unrecognized/);
});
