import assert from "node:assert/strict";
import { test } from "node:test";
import { forwardSlacEffect } from "./forward.js";

test("pass-through SLAC effects are translated, side-specific ones are left to the controller", () => {
  assert.deepEqual(forwardSlacEffect({ kind: "set-timer", id: "parm", atMs: 250 }), {
    kind: "set-timer",
    id: "slac:parm",
    atMs: 250,
  });
  assert.deepEqual(forwardSlacEffect({ kind: "log", level: "warn", msg: "x" }), {
    kind: "log",
    level: "warn",
    msg: "slac: x",
  });
  assert.equal(forwardSlacEffect({ kind: "failed", reason: "no-slac-parm-cnf" } as never), null);
  assert.equal(forwardSlacEffect({ kind: "s2", closed: true } as never), null);
});
