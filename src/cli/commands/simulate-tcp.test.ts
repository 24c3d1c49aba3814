/**
 * `nacs simulate --transport tcp`: the same simulated session with the V2G bytes over real TCP on [::1]
 * gives the same session as the in-memory pipe (the virtual clock holds while bytes are in flight), and a
 * paused-and-resumed session opens a second real connection.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

function simulate(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, ["bin/nacs.js", "simulate", "--json", "--no-record", ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** The summary without host-clock figures (SECC processing times differ run to run). */
function session(s: Record<string, unknown>): Record<string, unknown> {
  const { responseTimesMs: _r, v2gTransport: _t, ...rest } = s;
  return rest;
}

test("simulate --transport tcp: same session as in memory, every V2G byte over real TCP", () => {
  const args = ["--seed", "3", "--soc", "60", "--target-soc", "64", "--protocol", "din"];
  const tcp = simulate([...args, "--transport", "tcp"]);
  const mem = simulate(args);
  assert.deepEqual(session(tcp), session(mem));
  const t = tcp.v2gTransport as { kind: string; connections: number; bytes: number };
  assert.equal(t.kind, "tcp");
  assert.equal(t.connections, 1);
  assert.ok(t.bytes > 1000, `${t.bytes} bytes`);
  assert.equal(mem.v2gTransport, undefined);
});

test("simulate --transport tcp with pause and resume: a second real connection for the resumed session", () => {
  const tcp = simulate(["--scenario", "examples/scenarios/pause-resume.yaml", "--transport", "tcp"]);
  const t = tcp.v2gTransport as { connections: number };
  assert.equal(t.connections, 2);
});

test("simulate --transport: bad values and combinations exit 2 naming the option", () => {
  for (const args of [
    ["--transport", "udp"],
    ["--transport", "tcp", "--realtime"],
    ["--transport", "tcp", "--mode", "ac"],
  ]) {
    const r = spawnSync(process.execPath, ["bin/nacs.js", "simulate", "--no-record", ...args], {
      encoding: "utf8",
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--transport/);
  }
});
