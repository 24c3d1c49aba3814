/**
 * The catalogue is sound data: at least 40 SECC cases over DIN 70121 and ISO 15118-2, unique IDs of the
 * documented form, every case citing a requirement, its trigger a request our EV sends in a DC EIM session
 * of that protocol, and every group present for both protocols. The ID glob of `--cases`. The profile.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOGUE, caseGlob } from "./catalogue/index.js";
import { defaultProfile, parseProfile } from "./profile.js";

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
  assert.ok(CATALOGUE.length >= 40, `${CATALOGUE.length} cases`);
  const ids = CATALOGUE.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, "IDs are unique");
  for (const c of CATALOGUE) {
    if (c.protocolNeutral) assert.match(c.id, /^secc-(slac|sdp)-\d{3}$/, c.id);
    else assert.match(c.id, /^secc-(din|iso2)-(normal|seq|value|timing|transport|j3400)-\d{3}$/, c.id);
    assert.equal(c.sut, "secc");
    if (!c.protocolNeutral) assert.ok(c.id.includes(`-${c.protocols[0]}-`), `${c.id}: protocol in the ID`);
    assert.ok(
      c.requirement.length > 0 && c.requirement.every((r) => r.trim().length > 0),
      `${c.id}: requirement`,
    );
    for (const r of c.requirement)
      assert.ok(
        /\[V2G2-\d{3}\]|\[V2G-DC-\d{3}\]|\[V2G3-A09-\d+\]|DIN 70121|ISO 15118-[23]|IEC 61851-1|SAE J3400|HomePlug AV/.test(
          r,
        ),
        `${c.id}: "${r}" names its standard`,
      );
    // a DIN case cites DIN, an ISO-2 case ISO 15118-2 ([V2G2-…] are ISO 15118-2 IDs)
    if (c.protocols[0] === "din")
      assert.ok(!c.requirement.some((r) => r.includes("V2G2-")), `${c.id}: ISO ID on DIN`);
  }
});

test("every trigger is a request our EV sends in that protocol's DC EIM session", () => {
  for (const c of CATALOGUE) {
    if (c.tester.kind === "normal") continue;
    for (const p of c.protocols)
      assert.ok(
        (REQUESTS[p] as readonly string[]).includes(c.tester.at.message),
        `${c.id}: ${c.tester.at.message}`,
      );
  }
});

test("SLAC and SDP: at least 10 SLAC and 4 SDP cases, protocol-neutral (run once), each with its tester and checks", () => {
  const slac = CATALOGUE.filter((c) => c.group === "slac");
  const sdp = CATALOGUE.filter((c) => c.group === "sdp");
  assert.ok(slac.length >= 10, `${slac.length} SLAC cases`);
  assert.ok(sdp.length >= 4, `${sdp.length} SDP cases`);
  for (const c of slac) {
    assert.ok(c.protocolNeutral && c.slac && c.expect.kind === "slac", c.id);
    assert.ok(c.expect.kind === "slac" && c.expect.checks.length > 0, `${c.id}: checks`);
    assert.ok(
      c.requirement.some((r) => /ISO 15118-3|V2G3-/.test(r)),
      `${c.id}: cites ISO 15118-3`,
    );
  }
  for (const c of sdp) {
    assert.ok(c.protocolNeutral && c.sdp && c.expect.kind === "sdp", c.id);
    assert.equal(
      c.expect.kind === "sdp" && c.expect.answers.length,
      c.sdp?.probes.length,
      `${c.id}: one answer per probe`,
    );
  }
  // the unlatch case (J3400 group) on both protocols
  for (const p of ["din", "iso2"])
    assert.ok(
      CATALOGUE.some(
        (c) => c.id === `secc-${p}-j3400-003` && c.tester.kind === "board" && c.tester.action === "unlatch",
      ),
      p,
    );
});

test("every group has cases for DIN and for ISO 15118-2", () => {
  for (const g of ["normal", "sequence", "value", "timing", "transport", "j3400", "slac", "sdp"])
    for (const p of ["din", "iso2"] as const)
      assert.ok(
        CATALOGUE.some((c) => c.group === g && c.protocols.includes(p)),
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
