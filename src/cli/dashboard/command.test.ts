/** `nacs dashboard --port 0` as a process: prints its URL, serves /api/info (live: false) and /ws, ends on SIGTERM. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { spawnNacs } from "../testing/spawn-nacs.js";
import { connectFrames } from "./ws-client.js";

const WAIT_MS = 20_000;

test(
  "nacs dashboard: URL on stdout, /api/info live false, /ws hello + end, clean exit on SIGTERM",
  { timeout: 3 * WAIT_MS },
  async () => {
    const p = spawnNacs(["dashboard", "--port", "0"]);
    try {
      const until = Date.now() + WAIT_MS;
      const url = /nacs dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/)/;
      while (!url.test(p.out)) {
        assert.ok(Date.now() < until && p.child.exitCode === null, `no URL line: ${p.err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const m = url.exec(p.out)!;
      const info = (await (await fetch(`${m[1]}api/info`)).json()) as Record<string, unknown>;
      assert.deepEqual(
        { ...info, version: "" },
        { command: "dashboard", live: false, roles: [], version: "" },
      );
      const c = await connectFrames(`ws://127.0.0.1:${m[2]}/ws`);
      try {
        const hello = await c.waitFor((f) => f.kind === "hello", WAIT_MS);
        assert.equal(hello.live, false);
        await c.waitFor((f) => f.kind === "end", WAIT_MS);
        assert.deepEqual(
          c.frames.map((f) => f.kind),
          ["hello", "events", "end"],
          "hello, the (empty) history, end",
        );
        assert.deepEqual(c.frames[1]?.events, []);
        c.send({ kind: "control", id: 3, role: "evse", line: "emergency_stop" });
        const r = await c.waitFor((f) => f.kind === "control-result", WAIT_MS);
        assert.equal(r.ok, false);
        assert.match(String(r.error), /no live session/);
      } finally {
        c.close();
      }
      p.child.kill("SIGTERM");
      const code = await Promise.race([p.exit, new Promise((r) => setTimeout(() => r("timeout"), WAIT_MS))]);
      assert.equal(code, 0, p.err);
    } finally {
      if (p.child.exitCode === null) p.child.kill("SIGKILL");
    }
  },
);

test("nacs dashboard: a bad port is a usage error naming the option", { timeout: WAIT_MS }, async () => {
  const p = spawnNacs(["dashboard", "--port", "70000"]);
  assert.equal(await p.exit, 2);
  assert.match(p.err, /option --port: value "70000" is not allowed: must be at most 65535/);
});
