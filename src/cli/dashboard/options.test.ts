import assert from "node:assert/strict";
import { test } from "node:test";
import { parseEvseOptions } from "../commands/evse.js";
import { parseSimulateOptions } from "../commands/simulate-options.js";

test("--ui options: bare --ui is port 8080, --ui 0 any port; bad values and combinations name the flag", () => {
  assert.equal(parseSimulateOptions({ ui: true }).ui, 8080);
  assert.equal(parseSimulateOptions({ ui: "0", speed: "50", uiLinger: "2" }).ui, 0);
  assert.equal(parseEvseOptions({ iface: "lo", ui: "9000", uiHost: "::1" }).ui, 9000);
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ui: "70000" }, /option --ui: value "70000" is not allowed: must be at most 65535/],
    [{ ui: "x" }, /option --ui: value "x" is not allowed/],
    [{ speed: "5" }, /option --speed: .*needs --ui or --realtime/],
    [{ uiLinger: "5" }, /option --ui-linger: .*needs --ui/],
    [{ uiHost: "0.0.0.0" }, /option --ui-host: .*needs --ui/],
    [{ ui: true, transport: "tcp" }, /option --ui: .*cannot be combined with --transport tcp/],
    [{ ui: true, realtime: true }, /option --ui: .*drop --realtime/],
    [{ ui: true, mode: "ac" }, /option --ui: .*needs high-level communication/],
    [{ ui: true, speed: "0" }, /option --speed: .*at least 0.01/],
  ];
  for (const [raw, re] of bad) assert.throws(() => parseSimulateOptions(raw), re, JSON.stringify(raw));
  // --realtime may be paced faster too
  assert.equal(parseSimulateOptions({ realtime: true, speed: "10" }).speed, 10);
});
