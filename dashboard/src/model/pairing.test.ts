import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { messageKind, pairMessages } from "./pairing.js";

test("pairing: each response answers the latest open request of its name", () => {
  const names = [
    "supportedAppProtocolReq",
    "supportedAppProtocolRes",
    "CurrentDemandReq",
    "CurrentDemandReq",
    "CurrentDemandRes",
    "CurrentDemandRes",
    "SessionStopRes",
    "DC_ChargeLoopReq",
    "DC_ChargeLoopRes",
  ];
  assert.deepEqual(pairMessages(names.map((name) => ({ name }))), [
    undefined,
    0,
    undefined,
    undefined,
    3,
    undefined,
    undefined,
    undefined,
    7,
  ]);
  assert.deepEqual(messageKind("PreChargeRes"), { base: "PreCharge", kind: "res" });
  assert.deepEqual(messageKind("CM_SLAC_PARM.REQ"), { base: "CM_SLAC_PARM.REQ", kind: "other" });
});

test("pairing: a response pairs with an earlier request of the same name, each request at most once (property)", () => {
  const name = fc.tuple(fc.constantFrom("A", "B", "C"), fc.constantFrom("Req", "Res")).map(([a, b]) => a + b);
  fc.assert(
    fc.property(fc.array(name, { maxLength: 60 }), (names) => {
      const p = pairMessages(names.map((n) => ({ name: n })));
      const used = new Set<number>();
      p.forEach((req, i) => {
        if (req === undefined) return;
        assert.ok(req < i);
        assert.equal(names[req], names[i]!.replace(/Res$/, "Req"));
        assert.ok(!used.has(req));
        used.add(req);
      });
    }),
  );
});
