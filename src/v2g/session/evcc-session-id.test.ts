/**
 * The EVCC acts only on responses of its own session: after SessionSetupRes assigned the SessionID, a
 * response whose header carries another one ends the session (DIN 70121 / ISO 15118-2 MessageHeader
 * SessionID). The TEST-ONLY defects of evcc-defects.ts switch the EVCC's checks off: another SessionID
 * accepted, a FAILED code taken as OK, no V2G_EVCC_Msg_Timeout armed. Responses are our SECC's own.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { dinEvccModule } from "../din/evcc/module.js";
import { createEvcc } from "./evcc.js";
import type { EvccDefectName } from "./evcc-defects.js";
import { request, startSecc } from "./testing/drive-secc.js";
import { createEvccDriver, openWithSap } from "./testing/evcc-driver.js";
import type { EvccEffect } from "./types.js";

const OTHER = Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0, 0xc0, 0xff, 0xee);

/** Our SECC's SessionSetupRes and ServiceDiscoveryRes (DIN), the latter re-encoded as `patch` says. */
function responses(patch: { sessionId?: Uint8Array; code?: string } = {}) {
  const d = startSecc("din");
  const setup = request(d, "SessionSetup");
  const disc = request(d, "ServiceDiscovery");
  assert.ok(setup && disc);
  const enc = (element: string, id: Uint8Array, body: Record<string, unknown>) =>
    dinEvccModule.encode(id, element as never, body as never).bytes;
  return {
    setup: enc(setup.element, setup.sessionId, setup.body),
    discovery: enc(disc.element, patch.sessionId ?? disc.sessionId, {
      ...disc.body,
      ...(patch.code && { ResponseCode: patch.code }),
    }),
  };
}

/** The EVCC through SessionSetup, then fed `discovery`: the effects and the driver. */
function runTo(discovery: Uint8Array, setup: Uint8Array, defect?: EvccDefectName) {
  const drv = createEvccDriver(
    createEvcc({ protocols: ["din"], mode: "DC_extended", ...(defect && { defect }) }),
  );
  openWithSap(drv);
  drv.run({ kind: "message", payloadType: 0x8001, bytes: setup, tMs: 20 });
  const fx = drv.run({ kind: "message", payloadType: 0x8001, bytes: discovery, tMs: 30 });
  return { drv, fx };
}
const sent = (fx: EvccEffect[]) => fx.flatMap((f) => (f.kind === "send" ? [f.name] : []));

test("a response with another SessionID ends the session; with the session's own it goes on", () => {
  const ok = responses();
  const same = runTo(ok.discovery, ok.setup);
  assert.equal(same.drv.endReason, undefined);
  assert.deepEqual(sent(same.fx), ["ServicePaymentSelectionReq"]);
  const other = responses({ sessionId: OTHER });
  const r = runTo(other.discovery, other.setup);
  assert.equal(r.drv.endReason, "unexpected-message");
  assert.deepEqual(sent(r.fx), []);
  assert.ok(r.fx.some((f) => f.kind === "close"));
});

test("TEST-ONLY defects: another SessionID accepted, FAILED taken as OK, no message timeout armed", () => {
  const other = responses({ sessionId: OTHER });
  assert.deepEqual(sent(runTo(other.discovery, other.setup, "accept-wrong-session-id").fx), [
    "ServicePaymentSelectionReq",
  ]);
  const failed = responses({ code: "FAILED" });
  assert.equal(runTo(failed.discovery, failed.setup).drv.endReason, "failed-response");
  const ignoring = runTo(failed.discovery, failed.setup, "ignore-failed-response");
  assert.equal(ignoring.drv.endReason, undefined);
  assert.deepEqual(sent(ignoring.fx), ["ServicePaymentSelectionReq"]);
  const ok = responses();
  assert.ok(runTo(ok.discovery, ok.setup).drv.timers.response !== undefined, "armed normally");
  assert.equal(runTo(ok.discovery, ok.setup, "no-message-timeout").drv.timers.response, undefined);
});
