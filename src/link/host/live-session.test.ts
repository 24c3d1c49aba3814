import assert from "node:assert/strict";
import { test } from "node:test";
import { LiveSession } from "./live-session.js";

test("LiveSession: msg records only when wanted; counts and phases either way", () => {
  const wire = { payloadType: 0x8001, bytes: Uint8Array.of(0x80, 0x9a) };
  const run = (recordMessages: boolean) => {
    const records: { type: string; fields?: Record<string, unknown> }[] = [];
    const s = new LiveSession(
      "evcc",
      () => 0,
      (type, fields) => records.push({ type, fields }),
      "dc",
      recordMessages,
    );
    s.message("SessionSetupReq", "tx", wire);
    s.message("SessionSetupRes", "rx", wire);
    s.message("CableCheckReq", "tx", wire);
    return { records, counts: s.counts };
  };
  const on = run(true);
  assert.deepEqual(
    on.records.filter((r) => r.type === "msg").map((r) => r.fields),
    [
      { dir: "tx", name: "SessionSetupReq", payloadType: 0x8001, bytes: "809A" },
      { dir: "rx", name: "SessionSetupRes", payloadType: 0x8001, bytes: "809A" },
      { dir: "tx", name: "CableCheckReq", payloadType: 0x8001, bytes: "809A" },
    ],
  );
  const off = run(false);
  assert.equal(off.records.filter((r) => r.type === "msg").length, 0);
  // the phase records (which the EV host turns into onSessionPhase) still come
  assert.deepEqual(
    off.records.map((r) => r.type),
    on.records.filter((r) => r.type !== "msg").map((r) => r.type),
  );
  assert.ok(off.records.some((r) => r.type === "phase"));
  assert.deepEqual(off.counts, on.counts);
  assert.equal(off.counts.CableCheckReq, 1);
});
