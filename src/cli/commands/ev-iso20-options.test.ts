/**
 * The ISO 15118-20 options of `nacs ev` (`--service`, `--control`, `--pause-after`, `--resume-after`) and
 * `nacs evse` (`--bidirectional`, `--control`): what they imply and which combinations are refused, naming
 * the option and the rule (exit 2, no stack trace).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { UsageError } from "../errors.js";
import { parseEvOptions } from "./ev.js";
import { parseEvseOptions } from "./evse.js";

test("nacs ev --service implies --mode (dc*, ac*); --control and pause/resume parse", () => {
  const o = parseEvOptions({ iface: "lo", protocol: "iso20", service: "dc", control: "dynamic" });
  assert.equal(o.mode, "dc");
  assert.equal(o.service, "dc");
  assert.equal(o.control, "dynamic");
  const bpt = parseEvOptions({ iface: "lo", protocol: "iso20,iso2", service: "dc-bpt", mode: "dc" });
  assert.equal(bpt.service, "dc-bpt");
  assert.equal(bpt.soc, 80, "a bidirectional EV starts at 80 % unless --soc says otherwise");
  const p = parseEvOptions({ iface: "lo", protocol: "iso20", pauseAfter: "0.3", resumeAfter: "2" });
  assert.equal(p.pauseAfter, 0.3);
  assert.equal(p.resumeAfter, 2);
});

for (const [raw, option, rule] of [
  [{ service: "dc" }, "--service", /needs iso20 in --protocol/],
  [{ control: "dynamic" }, "--control", /needs iso20 in --protocol/],
  [{ protocol: "iso20", control: "fast" }, "--control", /"scheduled" or "dynamic"/],
  [{ protocol: "iso20", service: "dc-uni" }, "--service", /dc, dc-bpt, ac, ac-bpt/],
  [{ protocol: "iso20", service: "dc", mode: "ac" }, "--mode", /contradicts --service dc/],
  [{ protocol: "iso20,iso2", service: "ac-bpt", mode: "dc" }, "--mode", /contradicts --service ac-bpt/],
  [{ protocol: "iso20", resumeAfter: "1" }, "--resume-after", /needs --pause-after/],
  [{ protocol: "iso2", installContract: true }, "--install-contract", /needs --payment contract/],
  [{ protocol: "iso20", pauseAfter: "-1" }, "--pause-after", /at least 0/],
  [{ protocol: "iso20", pauseAfter: "soon" }, "--pause-after", /expected a number/],
] as const) {
  test(`nacs ev ${JSON.stringify(raw)} is refused naming ${option}`, () => {
    assert.throws(
      () => parseEvOptions({ iface: "lo", ...raw }),
      (e: unknown) =>
        e instanceof UsageError && e.message.includes(`option ${option}:`) && rule.test(e.message),
    );
  });
}

for (const [raw, option] of [
  [{ bidirectional: true }, "--bidirectional"],
  [{ control: "scheduled" }, "--control"],
  [{ protocol: "iso20,iso2", control: "scheduled,fast" }, "--control"],
  [{ protocol: "iso20,iso2", control: "dynamic,dynamic" }, "--control"],
] as const) {
  test(`nacs evse ${JSON.stringify(raw)} is refused naming ${option}`, () => {
    assert.throws(
      () => parseEvseOptions({ iface: "lo", ...raw }),
      (e: unknown) => e instanceof UsageError && e.message.includes(`option ${option}:`),
    );
  });
}

test("nacs evse --protocol iso20 --bidirectional --control dynamic parses", () => {
  const o = parseEvseOptions({ iface: "lo", protocol: "iso20", bidirectional: true, control: "dynamic" });
  assert.equal(o.bidirectional, true);
  assert.deepEqual(o.control, ["dynamic"]);
});

test("nacs ev --protocol iso20 --service dc --mode ac ⇒ exit 2 naming --mode, no stack trace", () => {
  const r = spawnSync(
    process.execPath,
    ["bin/nacs.js", "ev", "--iface", "lo", "--protocol", "iso20", "--service", "dc", "--mode", "ac"],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /option --mode: value "ac" is not allowed: contradicts --service dc/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
