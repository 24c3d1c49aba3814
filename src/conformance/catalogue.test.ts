/**
 * The catalogue is sound data: at least 120 SECC cases over DIN 70121, ISO 15118-2 (DC and AC) and ISO
 * 15118-20, unique IDs of the documented form, every case citing a requirement, its trigger a request our EV
 * sends in an EIM session of that protocol and energy transfer (MeteringReceiptReq in the cases for a SUT that
 * asks for receipts), and every group present for every protocol.
 * The ID glob of `--cases`. The profile.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { caseEnergy, caseService, unofferedBy } from "./case-ev.js";
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
  iso20: [
    "supportedAppProtocolReq",
    "SessionSetupReq",
    "AuthorizationSetupReq",
    "AuthorizationReq",
    "ServiceDiscoveryReq",
    "ServiceDetailReq",
    "ServiceSelectionReq",
    "DC_ChargeParameterDiscoveryReq",
    "ScheduleExchangeReq",
    "DC_CableCheckReq",
    "DC_PreChargeReq",
    "PowerDeliveryReq",
    "DC_ChargeLoopReq",
    "DC_WeldingDetectionReq",
    "SessionStopReq",
  ],
} as const;

/** The requests of our EV's AC EIM session, by protocol (ISO 15118-2 AC, ISO 15118-20 AC / AC_BPT). */
const AC_REQUESTS: Record<"iso2" | "iso20", readonly string[]> = {
  iso2: [
    "supportedAppProtocolReq",
    "SessionSetupReq",
    "ServiceDiscoveryReq",
    "PaymentServiceSelectionReq",
    "AuthorizationReq",
    "ChargeParameterDiscoveryReq",
    "PowerDeliveryReq",
    "ChargingStatusReq",
    "SessionStopReq",
  ],
  iso20: [
    "supportedAppProtocolReq",
    "SessionSetupReq",
    "AuthorizationSetupReq",
    "AuthorizationReq",
    "ServiceDiscoveryReq",
    "ServiceDetailReq",
    "ServiceSelectionReq",
    "AC_ChargeParameterDiscoveryReq",
    "ScheduleExchangeReq",
    "PowerDeliveryReq",
    "AC_ChargeLoopReq",
    "SessionStopReq",
  ],
};

test("at least 120 SECC cases, unique IDs of the form secc-<protocol>[-ac]-<group>-nnn, each citing a requirement", () => {
  assert.ok(SECC_CASES.length >= 120, `${SECC_CASES.length} cases`);
  const ids = SECC_CASES.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, "IDs are unique");
  for (const c of SECC_CASES) {
    if (c.protocolNeutral) assert.match(c.id, /^secc-(slac|sdp)-\d{3}$/, c.id);
    else
      assert.match(
        c.id,
        /^secc-(din|iso2|iso20)(-ac)?-(normal|seq|value|timing|transport|j3400)-\d{3}$/,
        c.id,
      );
    // an ISO-2 AC case says so in its ID (secc-iso2-ac-…); DIN 70121 is DC only
    if (c.protocols[0] !== "iso20" && !c.protocolNeutral)
      assert.equal(c.id.includes("-ac-"), caseEnergy(c) === "ac", `${c.id}: -ac- in the ID of an AC case`);
    assert.equal(c.sut, "secc");
    if (!c.protocolNeutral) assert.ok(c.id.includes(`-${c.protocols[0]}-`), `${c.id}: protocol in the ID`);
    assert.ok(
      c.requirement.length > 0 && c.requirement.every((r) => r.trim().length > 0),
      `${c.id}: requirement`,
    );
    for (const r of c.requirement)
      assert.ok(
        /\[V2G2-\d{3}\]|\[V2G20-\d{3,4}\]|\[V2G-DC-\d{3}\]|\[V2G3-A09-\d+\]|DIN 70121|ISO 15118-[23]|IEC 61851-1|SAE J3400|HomePlug AV/.test(
          r,
        ),
        `${c.id}: "${r}" names its standard`,
      );
    // a DIN case cites DIN, an ISO-2 case ISO 15118-2 ([V2G2-…] are ISO 15118-2 IDs)
    if (c.protocols[0] === "din")
      assert.ok(!c.requirement.some((r) => r.includes("V2G2-")), `${c.id}: ISO ID on DIN`);
    // a -20 case cites -20 (or IEC 61851-1), never a -2 ID or clause
    if (c.protocols[0] === "iso20")
      assert.ok(
        c.requirement.every((r) => /V2G20-|ISO 15118-20|IEC 61851-1/.test(r) && !r.includes("V2G2-")),
        `${c.id}: cites ISO 15118-20`,
      );
  }
});

test("at least 35 ISO 15118-20 and ISO 15118-2 AC cases; the -20 normal flow covers every service in both control modes", () => {
  const mine = SECC_CASES.filter((c) => c.protocols.includes("iso20") || caseEnergy(c) === "ac");
  assert.ok(mine.length >= 35, `${mine.length} cases`);
  const flows = SECC_CASES.filter((c) => c.protocols.includes("iso20") && c.expect.kind === "session-ok").map(
    (c) => `${caseService(c)}/${c.ev?.control}`,
  );
  assert.deepEqual(
    flows.sort(),
    ["ac", "ac-bpt", "dc", "dc-bpt"].flatMap((s) => [`${s}/dynamic`, `${s}/scheduled`]).sort(),
  );
});

test("every trigger is a request our EV sends in that protocol's EIM session of the case's energy transfer", () => {
  for (const c of SECC_CASES) {
    if (c.tester.kind === "normal") continue;
    for (const p of c.protocols) {
      const requests: readonly string[] =
        caseEnergy(c) === "ac" && p !== "din" ? AC_REQUESTS[p] : REQUESTS[p];
      // MeteringReceiptReq: sent when the SECC asks for a receipt (ReceiptRequired), so only in receipt cases
      const receipt = c.needsReceipts && c.tester.at.message === "MeteringReceiptReq";
      assert.ok(receipt || requests.includes(c.tester.at.message), `${c.id}: ${c.tester.at.message}`);
    }
  }
});

test("the metering-receipt cases: ISO 15118-2 only, DC and AC, each both answered and refused", () => {
  const receipt = SECC_CASES.filter((c) => c.needsReceipts);
  assert.deepEqual([...new Set(receipt.flatMap((c) => c.protocols))], ["iso2"]);
  for (const energy of ["dc", "ac"]) {
    const mine = receipt.filter((c) => caseEnergy(c) === energy);
    assert.deepEqual(mine.map((c) => c.group).sort(), ["normal", "value"], energy);
    assert.ok(mine.every((c) => c.expect.kind === "response" && c.expect.response === "MeteringReceiptRes"));
  }
});

test("SLAC and SDP: at least 10 SLAC and 4 SDP cases, protocol-neutral (run once), each with its tester and checks", () => {
  const slac = SECC_CASES.filter((c) => c.group === "slac");
  const sdp = SECC_CASES.filter((c) => c.group === "sdp");
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

test("every group has cases for DIN, ISO 15118-2 and ISO 15118-20 (SLAC and SDP: protocol-neutral, run on any)", () => {
  for (const g of ["normal", "sequence", "value", "timing", "transport", "j3400", "slac", "sdp"])
    for (const p of ["din", "iso2", "iso20"] as const)
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

test("profile: iso20 in protocols, the energy transfers and -20 services it offers; cases it does not offer are named", () => {
  const p = parseProfile(
    '{"protocols":["iso2","iso20"],"energy":["ac"],"iso20":{"services":["ac"]},"limits":{"iso20ChargeLoopSequenceTimeoutMs":400}}',
  );
  assert.deepEqual(p.protocols, ["iso2", "iso20"]);
  assert.deepEqual(p.iso20, { services: ["ac"], controls: ["scheduled", "dynamic"] });
  assert.equal(p.limits.iso20ChargeLoopSequenceTimeoutMs, 400);
  const byId = (id: string) => CATALOGUE.find((c) => c.id === id) as (typeof CATALOGUE)[number];
  assert.equal(unofferedBy(byId("secc-iso20-normal-005"), p, "iso20"), null);
  assert.match(unofferedBy(byId("secc-iso20-normal-007"), p, "iso20") ?? "", /service ac-bpt/);
  assert.match(unofferedBy(byId("secc-iso20-normal-001"), p, "iso20") ?? "", /does not offer DC/);
  assert.equal(unofferedBy(byId("secc-iso2-ac-normal-001"), p, "iso2"), null);
  // no energy given: DC only (the profiles written before AC and -20 keep their meaning)
  assert.match(unofferedBy(byId("secc-iso2-ac-normal-001"), defaultProfile(), "iso2") ?? "", /AC/);
  assert.throws(() => parseProfile('{"iso20":{"services":["wpt"]}}'), /iso20\.services/);
});
