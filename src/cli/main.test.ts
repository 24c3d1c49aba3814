import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { z } from "zod";
import { PilotError } from "../pilot/errors.js";
import { EXIT_USAGE, flagName, parseOptions, reportError, UsageError } from "./errors.js";

test("flagName turns option keys back into flags", () => {
  assert.equal(flagName("batteryKwh"), "--battery-kwh");
  assert.equal(flagName("soc"), "--soc");
});

test("parseOptions names the option, the value and the rule", () => {
  const schema = z.object({ soc: z.coerce.number().min(0).max(100) });
  assert.throws(
    () => parseOptions(schema, { soc: "150" }),
    (e: unknown) =>
      e instanceof UsageError && /--soc/.test(e.message) && /"150"/.test(e.message) && /100/.test(e.message),
  );
  assert.deepEqual(parseOptions(schema, { soc: "42" }), { soc: 42 });
});

test("unknown command exits with code 2 and no stack trace", () => {
  const r = spawnSync(process.execPath, ["bin/nacs.js", "no-such-command"], { encoding: "utf8" });
  assert.equal(r.status, EXIT_USAGE);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test("a NacsError is reported as one line with its code, exit 1", () => {
  const lines: string[] = [];
  const code = reportError(new PilotError("invalid-input", "duty = 120 is not allowed: must be 0–100"), (s) =>
    lines.push(s),
  );
  assert.equal(code, 1);
  assert.equal(lines.join(""), "nacs: PilotError invalid-input: duty = 120 is not allowed: must be 0–100\n");
});
