/**
 * `--board-mux tcp:HOST:PORT` on loopback: a charger park serves its simulated cables over TCP (worker K
 * on the port + K) and an EV fleet that has no other way to them (its own `--board sim:DIR` is an empty
 * folder) joins every cable there, finding the park's other muxes from the one it was given; with
 * `--board-mux-key`, only vehicles with the park's key. And the failures name the option: nothing
 * listening, a port already taken, no key or another one.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseEvOptions } from "../commands/ev.js";
import { parseEvseOptions } from "../commands/evse.js";
import { UsageError } from "../errors.js";
import { evFleetExitCode, runEvFleet } from "./ev-fleet.js";
import { startEvseFleet } from "./evse-fleet.js";
import { sessionsReported } from "./fleet-test-support.js";
import { formatEvseFleetSummary } from "./summary.js";

const sdpBase = () => String(21_000 + Math.floor(Math.random() * 1_000) * 10);

const listenOn = (port: number) =>
  new Promise<Server | null>((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(null));
    s.listen({ host: "::1", port }, () => resolve(s));
  });
const closeServer = (s: Server) => new Promise<void>((r) => s.close(() => r()));

/** A port P with P and P + 1 free on [::1] now (bounded tries). */
async function freePortPair(): Promise<number> {
  for (let k = 0; k < 20; k++) {
    const a = await listenOn(0);
    if (!a) continue;
    const p = (a.address() as { port: number }).port;
    const b = p < 65_535 ? await listenOn(p + 1) : null;
    await closeServer(a);
    if (b) {
      await closeServer(b);
      return p;
    }
  }
  throw new Error("no two consecutive free ports on [::1] in 20 tries");
}

function fleetDirs() {
  const park = mkdtempSync(join(tmpdir(), "nacs-park-"));
  const elsewhere = mkdtempSync(join(tmpdir(), "nacs-elsewhere-"));
  return {
    park,
    elsewhere,
    remove() {
      rmSync(park, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    },
  };
}

const common = (pairs: number, sdpPort: string) => ({
  iface: "lo",
  slac: false,
  sdpPort,
  protocol: "iso2",
  timeScale: "100",
  fleet: String(pairs),
  workers: "2",
});

/**
 * An EV fleet of `o` whose own `--board sim:DIR` is the empty folder `elsewhere` (the cables can only be
 * reached over TCP), joining them over `--board-mux tcp:[::1]:PORT`.
 */
const vehiclesOver = (
  o: Record<string, unknown>,
  elsewhere: string,
  port: number,
  extra: Record<string, string>,
) => runEvFleet(parseEvOptions({ ...o, board: `sim:${elsewhere}`, boardMux: `tcp:[::1]:${port}`, ...extra }));

test("--board-mux: 4 pairs, 2 workers a side; the vehicles join every cable over the park's TCP muxes, found from either, twice; more vehicles than cables: the others fail at plug-in", async () => {
  const port = await freePortPair();
  const dirs = fleetDirs();
  const c = common(4, sdpBase());
  const fleet = startEvseFleet(
    parseEvseOptions({ ...c, board: `sim:${dirs.park}`, boardMux: `tcp:[::1]:${port}` }),
  );
  try {
    const ready = await fleet.ready;
    assert.equal(ready.chargers, 4);
    assert.deepEqual(
      ready.boardMux,
      [`tcp:[::1]:${port}`, `tcp:[::1]:${port + 1}`],
      "worker K on the port + K",
    );
    // twice against the same park: from its second mux, then from its first
    for (const from of [port + 1, port]) {
      const ev = await vehiclesOver(c, dirs.elsewhere, from, { plugInSpread: "1", duration: "2" });
      assert.equal(ev.failed, 0, `from ${from}: ${JSON.stringify(ev.failuresByPhase)}`);
      assert.equal(ev.endedNormally, 4);
      assert.equal(
        ev.workers.reduce((a, w) => a + (w.viaBoardMux ?? 0), 0),
        4,
        "every cable joined over a board mux",
      );
    }
    await sessionsReported(fleet, 8);
    assert.equal(fleet.progress().sessions, 8, "the park served both fleets");
    // a fleet larger than the park: the vehicles whose cable no mux hosts fail at plug-in, naming what the park hosts
    const larger = await vehiclesOver(c, dirs.elsewhere, port, {
      fleet: "6",
      plugInSpread: "1",
      duration: "1",
    });
    assert.equal(larger.endedNormally, 4);
    assert.equal(larger.failed, 2);
    assert.match(
      JSON.stringify(larger.failuresByPhase),
      /no board mux of the park at tcp:\[::1\]:\d+ hosts its cable \(they host 0,2; 1,3\)/,
    );
    await sessionsReported(fleet, 12);
    const summary = await fleet.stop();
    assert.deepEqual(
      summary.workers.map((w) => w.boardMux),
      [`tcp:[::1]:${port}`, `tcp:[::1]:${port + 1}`],
      "each worker's mux in the summary",
    );
    assert.match(formatEvseFleetSummary(summary), /cables served on the board mux tcp:\[::1\]:\d+/);
  } finally {
    await fleet.stop();
    dirs.remove();
  }
});

test("--board-mux-key: a keyed park serves the vehicles with its key; those without it, or with another, fail at plug-in naming why", async () => {
  const port = await freePortPair();
  const dirs = fleetDirs();
  const key = join(dirs.park, "key");
  writeFileSync(key, `${"5a".repeat(32)}\n`);
  const other = join(dirs.elsewhere, "other-key");
  writeFileSync(other, `${"a5".repeat(32)}\n`);
  const c = common(2, sdpBase());
  const fleet = startEvseFleet(
    parseEvseOptions({ ...c, board: `sim:${dirs.park}`, boardMux: `tcp:[::1]:${port}`, boardMuxKey: key }),
  );
  try {
    await fleet.ready;
    const run = (extra: Record<string, string>) =>
      vehiclesOver(c, dirs.elsewhere, port, { plugInSpread: "0", duration: "1", ...extra });
    const keyed = await run({ boardMuxKey: key });
    assert.equal(keyed.failed, 0, JSON.stringify(keyed.failuresByPhase));
    assert.equal(keyed.endedNormally, 2);
    for (const [extra, why] of [
      [{}, /--board-mux: board mux tcp:\[::1\]:\d+: asks for a key: give --board-mux-key FILE/],
      [{ boardMuxKey: other }, /--board-mux: board mux tcp:\[::1\]:\d+: refused the key: wrong key/],
    ] as const) {
      const ev = await run(extra);
      assert.equal(ev.failed, 2);
      assert.equal(ev.reachedLoop, 0);
      assert.match(JSON.stringify(ev.failuresByPhase), why);
    }
    await sessionsReported(fleet, 2);
    assert.equal(fleet.progress().sessions, 2, "only the keyed fleet's sessions");
  } finally {
    await fleet.stop();
    dirs.remove();
  }
});

test("--board-mux: nothing listening there → every vehicle fails to start, naming the option and the address", async () => {
  const port = await freePortPair();
  const dirs = fleetDirs();
  try {
    const ev = await vehiclesOver(common(2, sdpBase()), dirs.elsewhere, port, {
      plugInSpread: "0",
      duration: "1",
    });
    assert.equal(ev.failed, 2);
    assert.equal(ev.reachedLoop, 0);
    const reasons = JSON.stringify(ev.failuresByPhase);
    assert.match(reasons, /plug-in/, reasons);
    assert.match(reasons, /--board-mux: board mux tcp:\[::1\]:\d+: connect ECONNREFUSED/);
    assert.equal(evFleetExitCode(ev), 1);
  } finally {
    dirs.remove();
  }
});

test("--board-mux: a port already taken → the park does not get ready, naming the option and the address", async () => {
  const port = await freePortPair();
  const taken = await listenOn(port + 1);
  assert.ok(taken, "the second port could be taken");
  const dirs = fleetDirs();
  const fleet = startEvseFleet(
    parseEvseOptions({ ...common(2, sdpBase()), board: `sim:${dirs.park}`, boardMux: `tcp:[::1]:${port}` }),
  );
  try {
    await assert.rejects(
      fleet.ready,
      new RegExp(`^Error: --board-mux: board mux tcp:\\[::1\\]:${port + 1}: listen EADDRINUSE`),
    );
  } finally {
    await fleet.stop();
    await closeServer(taken);
    dirs.remove();
  }
});

test("--board-mux: a port the last worker would pass 65535 with → refused before any worker starts, naming the most", () => {
  assert.throws(
    () =>
      startEvseFleet(
        parseEvseOptions({
          ...common(2, sdpBase()),
          board: "sim:/tmp/nacs-unused",
          boardMux: "tcp:[::1]:65535",
        }),
      ),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, String(e));
      assert.equal(e.option, "--board-mux");
      assert.match(e.message, /with 2 workers the last port would be 65536: a port of at most 65534/);
      return true;
    },
  );
});
