/**
 * The SECC's per-field tolerance of values outside their schema facets: the decision table (clamp a limit,
 * accept what is harmless, refuse an energy mode or a charge-parameter unit it cannot interpret), and the
 * session: a ChargeParameterDiscoveryReq decoded tolerantly is answered OK with the EV limit clamped, or
 * refused with FAILED_WrongChargeParameter.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { din, type ExiFacetWarning, iso2 } from "../../codecs/index.js";
import { dinEvccModule } from "../din/evcc/module.js";
import { iso2EvccModule } from "../iso2/evcc/module.js";
import { SESSION_ID_ZERO } from "./session-id.js";
import { ends, event, lastResponse, startSecc, through } from "./testing/drive-secc.js";
import { clampPhysical, toleranceAction, tolerateRequest } from "./tolerance.js";
import type { MsgName } from "./types.js";

const warn = (path: string, value: unknown, rule: string): ExiFacetWarning => ({
  code: "EXI_FACET",
  path,
  value,
  rule,
  message: `${path}: ${String(value)} breaks ${rule}`,
});

test("decision per field: clamp integer limits, accept long strings and unknown enumerations, refuse what cannot be read", () => {
  assert.equal(
    toleranceAction(warn("Body.CurrentDemandReq.DC_EVStatus.EVRESSSOC", 101, "maxInclusive 100")),
    "clamp",
  );
  assert.equal(
    toleranceAction(warn("Body.SessionSetupReq.EVCCID", new Uint8Array(9), "maxLength 8")),
    "accept",
  );
  assert.equal(
    toleranceAction(warn("Body.CurrentDemandReq.DC_EVStatus.EVErrorCode", 14, "enumeration (12 values)")),
    "accept",
  );
  assert.equal(
    toleranceAction(
      warn("Body.ChargeParameterDiscoveryReq.EVRequestedEnergyTransferType", 7, "enumeration (6 values)"),
    ),
    "refuse",
  );
  assert.equal(
    toleranceAction(
      warn(
        "Body.ChargeParameterDiscoveryReq.DC_EVChargeParameter.EVMaximumCurrentLimit.Unit",
        12,
        "enumeration (10 values)",
      ),
    ),
    "refuse",
  );
  assert.equal(
    toleranceAction(warn("Body.CurrentDemandReq.EVTargetCurrent.Unit", 12, "enumeration (10 values)")),
    "accept",
  );
});

test("tolerateRequest clamps a copy (percent to its bound, a PhysicalValue to the closest in-range value) and names the refusal code", () => {
  const body = {
    DC_EVStatus: { EVRESSSOC: 101 },
    EVMaximumCurrentLimit: { Multiplier: 4, Unit: "A", Value: 50 },
    EVTargetCurrent: { Multiplier: 0, Unit: "A", Value: 40000 },
  };
  const v = tolerateRequest("din", "CurrentDemandReq", body, [
    warn("Body.CurrentDemandReq.DC_EVStatus.EVRESSSOC", 101, "maxInclusive 100"),
    warn("Body.CurrentDemandReq.EVMaximumCurrentLimit.Multiplier", 4, "maxInclusive 3"),
    warn("Body.CurrentDemandReq.EVTargetCurrent.Value", 40000, "maxInclusive 32767"),
  ]);
  assert.equal(v.kind, "answer");
  assert.deepEqual(v.kind === "answer" && v.body, {
    DC_EVStatus: { EVRESSSOC: 100 },
    EVMaximumCurrentLimit: { Multiplier: 2, Unit: "A", Value: 5000 },
    EVTargetCurrent: { Multiplier: 1, Unit: "A", Value: 4000 },
  });
  assert.equal(body.DC_EVStatus.EVRESSSOC, 101, "the decoded request is not changed");
  assert.equal(v.logs.length, 3);
  assert.ok(v.logs.every((l) => l.kind === "log" && l.level === "warn"));
  const mode = (p: "din" | "iso2", f: string) =>
    tolerateRequest(p, "ChargeParameterDiscoveryReq", {}, [
      warn(`Body.ChargeParameterDiscoveryReq.${f}`, 7, "enumeration (6 values)"),
    ]);
  assert.equal(
    (mode("din", "EVRequestedEnergyTransferType") as { code: string }).code,
    "FAILED_WrongEnergyTransferType",
  );
  assert.equal(
    (mode("iso2", "RequestedEnergyTransferMode") as { code: string }).code,
    "FAILED_WrongEnergyTransferMode",
  );
  assert.deepEqual(clampPhysical({ Multiplier: 4, Value: 50 }), { Multiplier: 2, Value: 5000 });
  assert.deepEqual(clampPhysical({ Multiplier: 5, Value: 32000 }), { Multiplier: 3, Value: 32767 });
  assert.deepEqual(clampPhysical({ Multiplier: 0, Value: -40000 }), { Multiplier: 1, Value: -4000 });
});

const CODEC = { din, iso2 } as const;
const EVCC = { din: dinEvccModule, iso2: iso2EvccModule } as const;

/** Send request `name` (the EVCC's own, patched) after `before`, encoded tolerantly as a real car might send it. */
function send(
  protocol: "din" | "iso2",
  before: MsgName[],
  name: MsgName,
  req: string,
  patch: (body: Record<string, unknown>) => void,
) {
  const d = startSecc(protocol);
  through(d, before);
  const body = EVCC[protocol].messages[name]!.build({ ...d.ev, sessionId: d.s.sessionId }) as Record<
    string,
    unknown
  >;
  patch(body);
  const id = d.s.sessionId ?? SESSION_ID_ZERO;
  const message = { Header: { SessionID: id }, Body: { [req]: body } };
  const bytes = (CODEC[protocol].encode as (m: unknown, o: { tolerant: boolean }) => Uint8Array)(message, {
    tolerant: true,
  });
  d.t += 50;
  event(d, { kind: "message", payloadType: 0x8001, bytes, tMs: d.t });
  return { d, res: lastResponse(d) };
}

/** ChargeParameterDiscoveryReq with its DC_EVChargeParameter patched. */
const cpd = (protocol: "din" | "iso2", patch: (p: Record<string, Record<string, unknown>>) => void) =>
  send(
    protocol,
    ["SessionSetup", "ServiceDiscovery", "PaymentSelection", "Authorization"],
    "ChargeParameterDiscovery",
    "ChargeParameterDiscoveryReq",
    (b) => patch(b.DC_EVChargeParameter as Record<string, Record<string, unknown>>),
  );

for (const protocol of ["din", "iso2"] as const) {
  test(`${protocol}: an EVCCID longer than its maxLength → SessionSetupRes OK (harmless, logged)`, () => {
    const { d, res } = send(protocol, [], "SessionSetup", "SessionSetupReq", (b) => {
      b.EVCCID = Uint8Array.from([2, 0, 0, 0, 0, 1, 7, 7, 7, 7]);
    });
    assert.equal(res?.element, "SessionSetupRes");
    assert.match(String(res?.body.ResponseCode), /^OK/);
    assert.deepEqual(ends(d), []);
    assert.ok(d.fx.some((f) => f.kind === "log" && f.level === "warn" && /EVCCID/.test(f.msg)));
  });

  test(`${protocol}: an EV maximum current above the PhysicalValue range and a SOC of 101 % → OK, both clamped`, () => {
    const { d, res } = cpd(protocol, (p) => {
      // 40000 × 10^3 A: Value above xs:short; the largest in range is 32767 × 10^3
      p.EVMaximumCurrentLimit = { Multiplier: 3, Unit: "A", Value: 40000 };
      p.DC_EVStatus!.EVRESSSOC = 101;
    });
    assert.equal(res?.element, "ChargeParameterDiscoveryRes");
    assert.equal(res?.body.ResponseCode, "OK");
    assert.equal(d.s.ev.maxCurrentA, 32767 * 1000);
    assert.equal(d.s.ev.socPercent, 100);
    assert.deepEqual(ends(d), []);
    assert.equal(d.fx.filter((f) => f.kind === "log" && f.level === "warn").length, 2);
  });

  test(`${protocol}: an unknown Unit on the EV maximum current → FAILED_WrongChargeParameter, then the session ends`, () => {
    const unknownUnit = protocol === "din" ? 12 : 7;
    const { d, res } = cpd(protocol, (p) => {
      p.EVMaximumCurrentLimit = { Multiplier: 0, Unit: unknownUnit, Value: 200 };
    });
    assert.equal(res?.element, "ChargeParameterDiscoveryRes");
    assert.equal(res?.body.ResponseCode, "FAILED_WrongChargeParameter");
    assert.deepEqual(
      ends(d).map((e) => e.reason),
      ["failed-response"],
    );
  });
}
