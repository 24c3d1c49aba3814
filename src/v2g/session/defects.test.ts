/**
 * The TEST-ONLY SECC defect catalogue: every defect documented (what it breaks, the rule), and the response
 * rewrite leaves a response unchanged without a defect or for a response the defect does not touch.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defectResponse, isSeccDefect, SECC_DEFECT_NAMES, SECC_DEFECTS } from "./defects.js";

test("at least 15 defects, each saying what it breaks and which rule", () => {
  assert.ok(SECC_DEFECT_NAMES.length >= 15);
  for (const d of SECC_DEFECT_NAMES) {
    assert.ok(SECC_DEFECTS[d].breaks.length > 10, d);
    assert.match(SECC_DEFECTS[d].rule, /DIN 70121|ISO 15118|IEC 61851/, d);
  }
  assert.equal(isSeccDefect("accept-unknown-session"), true);
  assert.equal(isSeccDefect("toString"), false);
});

test("no defect, or a response the defect does not touch: unchanged", () => {
  const body = { ResponseCode: "FAILED_ServiceIDInvalid", ServiceID: 9999 };
  assert.deepEqual(defectResponse(undefined, "din", "ServiceDetailRes", body), {
    element: "ServiceDetailRes",
    body,
  });
  assert.deepEqual(defectResponse("old-session-joined", "din", "ServiceDetailRes", body).body, body);
  const cd = { ResponseCode: "OK", EVSECurrentLimitAchieved: false, EVSEVoltageLimitAchieved: true };
  assert.deepEqual(defectResponse("refuse-over-max-current", "din", "CurrentDemandRes", cd).body, cd);
});

test("the response defects: OK instead of the FAILED code, a flag cleared, another code, another message", () => {
  const svc = { ResponseCode: "FAILED_ServiceIDInvalid", ServiceID: 9999 };
  assert.equal(
    defectResponse("ok-for-unoffered-service-id", "din", "ServiceDetailRes", svc).body.ResponseCode,
    "OK",
  );
  const cd = { ResponseCode: "OK", EVSECurrentLimitAchieved: true, EVSEVoltageLimitAchieved: true };
  assert.equal(
    defectResponse("refuse-over-max-current", "din", "CurrentDemandRes", cd).body.ResponseCode,
    "FAILED_WrongChargeParameter",
  );
  assert.equal(
    defectResponse("no-current-limit-achieved", "iso2", "CurrentDemandRes", cd).body.EVSECurrentLimitAchieved,
    false,
  );
  assert.equal(
    defectResponse("no-voltage-limit-achieved", "din", "CurrentDemandRes", cd).body.EVSEVoltageLimitAchieved,
    false,
  );
  assert.equal(
    defectResponse("old-session-joined", "din", "SessionSetupRes", {
      ResponseCode: "OK_NewSessionEstablished",
    }).body.ResponseCode,
    "OK_OldSessionJoined",
  );
  assert.deepEqual(
    defectResponse("wrong-response-type", "din", "ServicePaymentSelectionRes", { ResponseCode: "OK" }),
    { element: "SessionStopRes", body: { ResponseCode: "OK" } },
  );
});

test("the ISO 15118-20 response defects touch -20 only: OK for an unoffered service, a resume refused", () => {
  assert.equal(
    defectResponse("iso20-ok-for-unoffered-service", "iso20", "ServiceSelectionRes", {
      ResponseCode: "FAILED_NoEnergyTransferServiceSelected",
    }).body.ResponseCode,
    "OK",
  );
  const joined = { ResponseCode: "OK_OldSessionJoined", EVSEID: "X" };
  assert.equal(
    defectResponse("iso20-new-session-on-resume", "iso20", "SessionSetupRes", joined).body.ResponseCode,
    "OK_NewSessionEstablished",
  );
  assert.deepEqual(
    defectResponse("iso20-new-session-on-resume", "iso2", "SessionSetupRes", joined).body,
    joined,
  );
  for (const d of SECC_DEFECT_NAMES.filter((n) => n.startsWith("iso20-")))
    assert.match(SECC_DEFECTS[d].rule, /ISO 15118-20/, d);
  assert.ok(SECC_DEFECT_NAMES.filter((n) => n.startsWith("iso20-")).length >= 3);
});
