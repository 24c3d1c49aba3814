/**
 * `nacs simulate --protocol iso20`: the ISO 15118-20 services end to end through the CLI (DC, DC_BPT, AC,
 * AC_BPT; scheduled and dynamic) and the rules of `--service` / `--min-soc`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { UsageError } from "../errors.js";
import { parseSimulateOptions } from "./simulate.js";

/** `nacs simulate` with `flags` (space-separated, no quoting needed). */
function nacs(flags: string) {
  return spawnSync(process.execPath, ["bin/nacs.js", "simulate", ...flags.split(" ")], { encoding: "utf8" });
}

test("nacs simulate --protocol iso20 --control dynamic --json: ISO 15118-20 DC session, target SOC reached", () => {
  const r = nacs("--protocol iso20 --control dynamic --json --no-record --soc 60 --target-soc 62");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.protocol, "iso20");
  assert.equal(j.stopReason, "target SOC reached");
  assert.ok(j.messages.DC_ChargeLoopReq > 10, JSON.stringify(j.messages));
  assert.deepEqual(j.safety, []);
  // ISO 15118-20 AC: `--mode ac --hlc --protocol iso20` is the same as `--protocol iso20 --service ac`
  const ac = nacs("--mode ac --hlc --protocol iso20 --json --no-record --soc 50 --target-soc 50.5");
  assert.equal(ac.status, 0, ac.stderr);
  const a = JSON.parse(ac.stdout);
  assert.deepEqual([a.mode, a.protocol, a.stopReason], ["ac", "iso20", "target SOC reached"]);
  assert.ok(a.messages.AC_ChargeLoopReq > 10, JSON.stringify(a.messages));
});

test("nacs simulate --protocol iso20 --service dc-bpt --json: energy back to the grid, SOC down to the EV's minimum, balance within 1 %", () => {
  const r = nacs("--protocol iso20 --service dc-bpt --soc 60 --min-soc 52 --json --no-record");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.protocol, "iso20");
  assert.equal(j.stopReason, "minimum SOC reached");
  assert.ok(
    j.energyDeliveredWh < -5000,
    `net meter energy ${j.energyDeliveredWh} Wh (negative: to the grid)`,
  );
  assert.ok(j.energyDischargedWh > 5000, `discharged ${j.energyDischargedWh} Wh`);
  assert.ok(j.socEnd <= 52 && j.socEnd > 51.5, `SOC ${j.socStart} → ${j.socEnd}`);
  const battery = (j.batteryKwh * 1000 * (j.socEnd - j.socStart)) / 100;
  const err = Math.abs(j.energyDeliveredWh - j.lossesWh - battery) / Math.abs(battery);
  assert.ok(err < 0.01, `balance ${err}`);
  assert.deepEqual(j.safety, []);
  const table = nacs("--protocol iso20 --service dc-bpt --soc 40 --min-soc 39 --no-record");
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /iso20 dc-bpt scheduled/);
  assert.match(table.stdout, /energy to grid/);
});

test("--service and --min-soc: validated and named; a BPT service starts at 80 % unless --soc is given", () => {
  for (const [raw, flag] of [
    [{ service: "dc-bpt" }, "--service"],
    [{ protocol: "iso20", service: "wpt" }, "--service"],
    [{ protocol: "iso20", minSoc: "20" }, "--min-soc"],
    [{ protocol: "iso20", service: "dc-bpt", soc: "25" }, "--min-soc"],
    [{ protocol: "iso20", service: "dc-bpt", minSoc: "85" }, "--min-soc"],
  ] as [Record<string, unknown>, string][])
    assert.throws(
      () => parseSimulateOptions(raw),
      (e: unknown) => e instanceof UsageError && e.message.includes(flag),
      `${JSON.stringify(raw)} should name ${flag}`,
    );
  const o = parseSimulateOptions({ protocol: "iso20", service: "dc-bpt" });
  assert.equal(o.soc, 80);
  assert.equal(parseSimulateOptions({ protocol: "iso20", service: "dc-bpt", soc: "70" }).soc, 70);
});

test("nacs simulate --protocol iso20 --service ac|ac-bpt: a -20 AC charge; an AC_BPT discharge to the minimum SOC with the meter negative", () => {
  const ac = nacs(
    "--protocol iso20 --service ac --control dynamic --json --no-record --soc 50 --target-soc 50.5",
  );
  assert.equal(ac.status, 0, ac.stderr);
  const a = JSON.parse(ac.stdout);
  assert.deepEqual([a.mode, a.protocol, a.stopReason], ["ac", "iso20", "target SOC reached"]);
  assert.ok(a.messages.AC_ChargeLoopReq > 10 && !a.messages.DC_ChargeLoopReq, JSON.stringify(a.messages));
  assert.deepEqual(a.safety, []);
  const bpt = nacs(
    "--protocol iso20 --service ac-bpt --json --no-record --soc 31 --min-soc 30 --max-current 48",
  );
  assert.equal(bpt.status, 0, bpt.stderr);
  const b = JSON.parse(bpt.stdout);
  assert.deepEqual([b.mode, b.protocol, b.stopReason], ["ac", "iso20", "minimum SOC reached"]);
  assert.ok(b.socEnd < b.socStart && b.socEnd <= 30.01, `SOC ${b.socStart} → ${b.socEnd}`);
  assert.ok(b.energyDeliveredWh < 0 && b.energyDischargedWh > 0, `meter ${b.energyDeliveredWh} Wh`);
  const battery = (b.batteryKwh * 1000 * (b.socEnd - b.socStart)) / 100;
  assert.ok(
    Math.abs(b.energyDeliveredWh - b.lossesWh - battery) / Math.abs(battery) < 0.01,
    "energy balance",
  );
  assert.deepEqual(b.safety, []);
});

test("nacs simulate --service ac-bpt defaults: AC over HLC, start 80 %, minimum 30 %; the rules name the option", () => {
  const o = parseSimulateOptions({ protocol: "iso20", service: "ac-bpt" });
  assert.deepEqual([o.mode, o.hlc, o.soc, o.minSoc], ["ac", true, 80, undefined]);
  const bad: [Record<string, unknown>, string, RegExp][] = [
    [{ protocol: "iso20", service: "ac", mode: "dc" }, "--service", /needs --mode ac/],
    [{ protocol: "iso20", service: "dc", mode: "ac", hlc: true }, "--service", /needs --mode dc/],
    [{ protocol: "iso20", service: "ac", minSoc: "30" }, "--min-soc", /needs --service dc-bpt or ac-bpt/],
    [{ protocol: "iso20", service: "ac-bpt", soc: "25" }, "--min-soc", /below --soc/],
    [{ protocol: "iso20", service: "ac-bpt", minSoc: "85" }, "--min-soc", /below --soc \(80\)/],
  ];
  for (const [raw, flag, rule] of bad)
    assert.throws(
      () => parseSimulateOptions(raw),
      (e: unknown) => e instanceof UsageError && e.message.includes(flag) && rule.test(e.message),
      JSON.stringify(raw),
    );
});
