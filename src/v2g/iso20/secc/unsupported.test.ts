/**
 * ISO 15118-20 requests this SECC does not support, answered as unsupported and the session going on (answers
 * as in libiso15118; service renegotiation [V2G20-1477]): PowerDelivery(Standby) and
 * PowerDelivery(ScheduleRenegotiation) in the charge loop get their WARNING and the loop continues with the
 * power stage still driven; SessionStop(ServiceRenegotiation) gets FAILED_NoServiceRenegotiationSupported and
 * ends the session.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Iso20ControlMode } from "../../session/iso20-session.js";
import {
  type Driver,
  dc20ToPowerDelivery,
  ends,
  ISO20_THROUGH_SELECTION,
  request,
  startSecc20Dc,
  withProgress,
} from "../../session/testing/drive-secc.js";
import type { MsgName } from "../../session/types.js";
import {
  ISO20_SCHEDULE_RENEGOTIATION_ANSWER,
  ISO20_SERVICE_RENEGOTIATION_ANSWER,
  ISO20_STANDBY_ANSWER,
} from "./unsupported.js";

const TO_SE: MsgName[] = [...ISO20_THROUGH_SELECTION, "ChargeParameterDiscovery", "ScheduleExchange"];

/** A -20 SECC driven into the charge loop (PowerDelivery Start answered, one DC_ChargeLoopReq). */
function charging(mode: Iso20ControlMode): Driver {
  const d = startSecc20Dc(mode);
  for (const n of TO_SE) request(d, n);
  dc20ToPowerDelivery(d);
  assert.equal(request(d, "CurrentDemand", { dtMs: 100 })?.body.ResponseCode, "OK");
  return d;
}

/** The current the last power-stage `set` command of the last step asked for, or undefined. */
function stageCurrentA(d: Driver): number | undefined {
  const set = d.fx.find((f) => f.kind === "port-command" && f.command.port === "power-stage");
  return set?.kind === "port-command" && set.command.op === "set" ? set.command.currentA : undefined;
}

for (const mode of ["scheduled", "dynamic"] as const)
  for (const [progress, answer] of [
    ["Standby", ISO20_STANDBY_ANSWER],
    ["ScheduleRenegotiation", ISO20_SCHEDULE_RENEGOTIATION_ANSWER],
  ] as const)
    test(`iso20 ${mode}: PowerDelivery(${progress}) in the loop → ${answer}, the loop goes on charging`, () => {
      const d = charging(mode);
      const pd = request(d, "PowerDelivery", {
        dtMs: 100,
        patch: () => ({ EVProcessing: "Finished", ChargeProgress: progress }),
      });
      assert.equal(pd?.body.ResponseCode, answer);
      assert.ok(
        !d.fx.some(
          (f) => f.kind === "port-command" && f.command.port === "power-stage" && f.command.op === "off",
        ),
        "the power stage is not switched off",
      );
      for (let k = 0; k < 3; k++) {
        const cl = request(d, "CurrentDemand", { dtMs: 100 });
        assert.equal(cl?.element, "DC_ChargeLoopRes");
        assert.equal(cl?.body.ResponseCode, "OK");
        assert.ok((stageCurrentA(d) ?? 0) > 0, "current still flows");
      }
      assert.deepEqual(ends(d), [], "the session has not ended");
      withProgress(d, "stop");
      assert.equal(request(d, "PowerDelivery", { dtMs: 100 })?.body.ResponseCode, "OK");
      assert.equal(request(d, "WeldingDetection")?.body.ResponseCode, "OK");
      assert.equal(request(d, "SessionStop")?.body.ResponseCode, "OK");
      assert.deepEqual(
        ends(d).map((e) => e.reason),
        ["terminated"],
      );
    });

test("iso20: SessionStop(ServiceRenegotiation) in the loop → FAILED_NoServiceRenegotiationSupported, the session ends, nothing kept", () => {
  const d = charging("scheduled");
  const r = request(d, "SessionStop", { patch: () => ({ ChargingSession: "ServiceRenegotiation" }) });
  assert.equal(r?.body.ResponseCode, ISO20_SERVICE_RENEGOTIATION_ANSWER);
  assert.equal(ISO20_SERVICE_RENEGOTIATION_ANSWER, "FAILED_NoServiceRenegotiationSupported");
  assert.deepEqual(
    ends(d).map((e) => e.reason),
    ["failed-response"],
  );
  assert.equal(d.s.paused, null, "no session kept for a resume");
});
