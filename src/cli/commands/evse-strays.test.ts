/**
 * `nacs evse --sessions 1` on loopback with stray peers before the EV: a connect-and-close, a garbage
 * sender (bad V2GTP header) and a well-framed message that is no supportedAppProtocolReq. None of them
 * reaches the controller or uses up the session: the real EV (`nacs ev`) then charges, and the `--json`
 * summary says how many connections were refused and why.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodeV2gtpMessage, V2gtpPayloadType } from "../../v2g/index.js";
import { spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const sdpPort = () => String(20000 + Math.floor(Math.random() * 12000));

/** Connect to [::1]:port, write `bytes` (if any), end; resolves once the socket is closed. */
function stray(port: number, bytes?: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const s: Socket = connect({ host: "::1", port });
    const timer = setTimeout(() => s.destroy(), 5000);
    s.on("error", () => {});
    s.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    s.resume();
    s.once("connect", () => {
      if (bytes) s.write(bytes);
      s.end();
    });
  });
}

test("nacs evse --sessions 1: stray and garbage connections are refused and counted; the real EV's session is the one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-strays-"));
  const port = sdpPort();
  const common = ["--iface", "lo", "--no-slac", "--json", "--sdp-port", port, "--time-scale", "300"];
  common.push("--board", `sim:${join(dir, "world.sock")}`, "--protocol", "din");
  const evse = spawnNacs(["evse", ...common, "--sessions", "1"]);
  try {
    const ready = await waitForStderr(evse, /V2G tcp \(no TLS\) on \[::1\]:(\d+)/, 15_000);
    const v2gPort = Number(ready[1]);
    await stray(v2gPort);
    await stray(v2gPort, new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await stray(v2gPort, encodeV2gtpMessage(V2gtpPayloadType.exi, Uint8Array.of(0x80, 0x98, 0x02)));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(evse.child.exitCode, null, `the EVSE exited on a stray connection: ${evse.out}`);

    const ev = spawnNacs(["ev", ...common, "--soc", "50", "--target-soc", "51"]);
    const [evCode, evseCode] = await Promise.all([ev.exit, evse.exit]);
    assert.equal(evCode, 0, ev.err);
    assert.equal(evseCode, 0, evse.err);
    const lines = evse.out.trim().split("\n");
    assert.equal(lines.length, 1, evse.out);
    const s = JSON.parse(lines[0]!);
    assert.equal(s.protocol, "din");
    assert.equal(s.stopReason, "EV ended the session");
    assert.deepEqual(s.safety, []);
    assert.deepEqual(s.connections, {
      accepted: 4,
      sessions: 1,
      refused: {
        tlsHandshake: 0,
        idle: 0,
        closedBeforeSap: 1,
        badV2gtp: 1,
        notSap: 1,
        sapFailed: 0,
        notReady: 0,
        overload: 0,
        replaced: 0,
      },
    });
    assert.match(
      evse.err,
      /nacs evse: V2G connections: 4 accepted, 1 session; refused: closedBeforeSap 1, badV2gtp 1, notSap 1/,
    );
  } finally {
    evse.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
