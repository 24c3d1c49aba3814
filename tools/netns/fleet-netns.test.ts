/**
 * A live fleet across two machines: a charger park (`nacs evse --fleet`, 2 workers) in one network
 * namespace and an EV fleet (`nacs ev --fleet`, 2 workers) in another, joined only by a veth pair. SDP goes
 * unicast to the park's link-local address, the V2G sessions over TCP on the veth, and the simulated
 * cables over the park's board muxes on TCP (`--board-mux`, with a key each side holds a copy of:
 * `--board-mux-key`): the EV fleet's own `--board sim:DIR` is an empty folder. Every session must end
 * normally on both sides. Skipped with a printed reason when not root.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createVethPair, listNetns, netnsSkipReason } from "./netns.js";
import { exited, kill, type Proc, start, until, vethAddressesReady } from "./ns-proc.js";
import { linkLocalOf } from "./stack.js";

const skip = netnsSkipReason();
if (skip) console.log(`# netns fleet test skipped: ${skip}`);

const PAIRS = 4;
/** Limit of the whole run (namespaces, both fleets, the sessions); the test allows 15 s more. */
const RUN_TIMEOUT_MS = 90_000;

const summaryOf = (who: string, p: Proc) => {
  const line = p.out.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`${who}: no JSON summary; stderr: ${p.err.slice(-2000)}`);
  return JSON.parse(line) as Record<string, unknown>;
};

test(
  `netns: ${PAIRS} pairs across two namespaces, the cables over the park's TCP board muxes; every session ends normally`,
  { skip, timeout: RUN_TIMEOUT_MS + 15_000 },
  async () => {
    const deadline = performance.now() + RUN_TIMEOUT_MS;
    const tag = `${process.pid}-1`;
    const pair = createVethPair(tag);
    const park = mkdtempSync(join(tmpdir(), "nacs-park-"));
    const elsewhere = mkdtempSync(join(tmpdir(), "nacs-elsewhere-"));
    let evse: Proc | undefined;
    let ev: Proc | undefined;
    try {
      await vethAddressesReady(pair, deadline);
      const parkAddress = linkLocalOf(pair.nsEvse, pair.ifEvse);
      // the key, a copy on each "machine"
      const key = `${"c3".repeat(32)}\n`;
      writeFileSync(join(park, "key"), key);
      writeFileSync(join(elsewhere, "key"), key);
      const sdpPort = String(30_000 + (process.pid % 1_000) * 10);
      const common = ["--fleet", String(PAIRS), "--workers", "2", "--no-slac", "--protocol", "iso2"];
      const node = [process.execPath, "bin/nacs.js"];
      evse = start(pair.nsEvse, [
        ...node,
        "evse",
        ...common,
        "--iface",
        pair.ifEvse,
        "--sdp-port",
        sdpPort,
        "--board",
        `sim:${park}`,
        "--board-mux",
        "tcp:[::]:7000",
        "--board-mux-key",
        join(park, "key"),
        "--json",
      ]);
      const evseP = evse;
      await until("EVSE fleet ready", () => /nacs evse --fleet: ready/.test(evseP.err), deadline, evseP);
      assert.match(evseP.err, /board mux tcp:\[::\]:7000, tcp:\[::\]:7001, key required/);
      assert.doesNotMatch(evseP.err, /warning: the board mux/, "no warning: a key is required");
      ev = start(pair.nsEv, [
        ...node,
        "ev",
        ...common,
        "--iface",
        pair.ifEv,
        "--sdp-target",
        parkAddress,
        "--sdp-port",
        sdpPort,
        "--board",
        `sim:${elsewhere}`,
        // the park's second mux: the first is found from its header
        "--board-mux",
        `tcp:[${parkAddress}%${pair.ifEv}]:7001`,
        "--board-mux-key",
        join(elsewhere, "key"),
        "--plug-in-spread",
        "1",
        "--duration",
        "2",
        "--time-scale",
        "100",
        "--json",
      ]);
      const evP = ev;
      await until("EV fleet done", () => exited(evP), deadline);
      assert.equal(await evP.exit, 0, `EV fleet exits 0: ${evP.err.slice(-2000)}`);
      const evs = summaryOf("EV fleet", evP);
      assert.equal(evs.endedNormally, PAIRS, JSON.stringify(evs.failuresByPhase));
      const workers = evs.workers as { viaBoardMux?: number }[];
      assert.equal(
        workers.reduce((a, w) => a + (w.viaBoardMux ?? 0), 0),
        PAIRS,
        "every cable over the park's board muxes",
      );
      evseP.child.kill("SIGTERM");
      await until("EVSE fleet summary", () => exited(evseP), deadline);
      assert.equal(await evseP.exit, 0, `EVSE fleet exits 0: ${evseP.err.slice(-2000)}`);
      const evses = summaryOf("EVSE fleet", evseP);
      assert.equal(evses.sessionsNormal, PAIRS);
      assert.equal(evses.boardsLost, 0);
    } finally {
      await kill(ev);
      await kill(evse);
      pair.destroy();
      rmSync(park, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
      assert.deepEqual(
        listNetns().filter((n) => n.endsWith(`-${tag}`)),
        [],
        "namespaces of this run are gone",
      );
    }
  },
);
