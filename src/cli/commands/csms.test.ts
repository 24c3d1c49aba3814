/** `nacs csms` control lines (stdin): `call ID ACTION {json}`; anything else names what is expected. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseControlLine } from "./csms.js";

test("control line: call ID ACTION {payload}", () => {
  assert.deepEqual(parseControlLine('call CP1 RequestStopTransaction {"transactionId":"$transactionId"}'), {
    identity: "CP1",
    action: "RequestStopTransaction",
    payload: { transactionId: "$transactionId" },
  });
  assert.deepEqual(parseControlLine("  call CP1 TriggerMessage"), {
    identity: "CP1",
    action: "TriggerMessage",
    payload: {},
  });
  assert.match((parseControlLine("stop CP1") as { error: string }).error, /expected "call ID ACTION/);
  assert.match((parseControlLine("call CP1 Reset [1]") as { error: string }).error, /JSON object/);
  assert.match((parseControlLine("call CP1 Reset {x") as { error: string }).error, /^payload: /);
});
