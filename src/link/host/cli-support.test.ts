import assert from "node:assert/strict";
import { test } from "node:test";
import { beforeStderrLog, stderrLogger } from "./cli-support.js";

test("stderrLogger: every line is preceded by the beforeStderrLog hooks (a progress line erases itself first)", () => {
  const out: string[] = [];
  const log = stderrLogger("info", "t", { write: (s) => out.push(s) });
  const stop = beforeStderrLog(() => out.push("<erase>"));
  log.warn("one");
  log.debug("not written");
  stop();
  log.warn("two");
  assert.equal(out.length, 3);
  assert.equal(out[0], "<erase>");
  assert.match(out[1]!, /"msg":"one"/);
  assert.match(out[2]!, /"msg":"two"/);
});
