import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  OBC_INPUT_MAX_V,
  OBC_INPUT_MIN_V,
  obcInputForOutputW,
  obcLossW,
  obcOutputW,
  obcSupplyVerdict,
} from "./obc.js";

test("input window is ANSI C84.1 range B, 104–293 V", () => {
  assert.equal(OBC_INPUT_MIN_V, 104);
  assert.equal(OBC_INPUT_MAX_V, 293);
  assert.equal(obcSupplyVerdict(0), "absent");
  assert.equal(obcSupplyVerdict(90), "undervoltage");
  assert.equal(obcSupplyVerdict(103.99), "undervoltage");
  assert.equal(obcSupplyVerdict(104), "ok");
  assert.equal(obcSupplyVerdict(293), "ok");
  assert.equal(obcSupplyVerdict(293.01), "overvoltage");
  assert.equal(obcSupplyVerdict(300), "overvoltage");
  assert.equal(obcSupplyVerdict(Number.NaN), "absent");
});

test("losses are positive, below input, and the inverse model round-trips", () => {
  assert.equal(obcLossW(0), 0);
  const eff = obcOutputW(7680) / 7680;
  assert.ok(eff > 0.9 && eff < 0.97, `efficiency ${eff}`);
  fc.assert(
    fc.property(fc.double({ min: 100, max: 20_000, noNaN: true }), (pIn) => {
      const loss = obcLossW(pIn);
      assert.ok(loss > 0 && loss < pIn);
      assert.ok(Math.abs(obcInputForOutputW(obcOutputW(pIn)) - pIn) < 1e-6);
    }),
  );
});
