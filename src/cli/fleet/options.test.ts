/**
 * The fleet flags of `nacs ev` / `nacs evse`: what is refused (naming the rule), how the pairs are split
 * over shards and workers (every pair exactly once), where pair i meets its peer, and each vehicle's
 * charge-loop pause.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { parseEvOptions } from "../commands/ev.js";
import { parseEvseOptions } from "../commands/evse.js";
import { UsageError } from "../errors.js";
import { plugInOffsets } from "./ev-fleet.js";
import {
  ensureFleetSimDir,
  fleetBoardSpec,
  fleetWorkerCount,
  LIVE_FLEET_DEFAULT_CHARGE_LOOP,
  shardIndices,
  splitOverWorkers,
  vehicleChargeLoopMs,
} from "./options.js";

const base = { iface: "lo", slac: false, board: "sim:/tmp/f" };
const refused = (parse: () => unknown, flag: string, rule: RegExp) =>
  assert.throws(parse, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.match(e.message, new RegExp(`option ${flag}: .*`));
    assert.match(e.message, rule);
    return true;
  });

test("--shard 3/2 is refused naming the rule; 1/2 is shard 1 of 2", () => {
  refused(() => parseEvOptions({ ...base, fleet: "6", shard: "3/2" }), "--shard", /0 ≤ K < S/);
  refused(() => parseEvseOptions({ ...base, fleet: "6", shard: "x" }), "--shard", /K\/S/);
  refused(() => parseEvOptions({ ...base, fleet: "2", shard: "0/3" }), "--shard", /S ≤ --fleet/);
  assert.deepEqual(parseEvOptions({ ...base, fleet: "6", shard: "1/2" }).shard, { index: 1, count: 2 });
});

test("--workers 0, --fleet with --sessions, fleet flags without --fleet, SLAC and AC are refused", () => {
  refused(() => parseEvseOptions({ ...base, fleet: "6", workers: "0" }), "--workers", /at least 1/);
  refused(() => parseEvOptions({ ...base, fleet: "6", sessions: "3" }), "--sessions", /one session/);
  refused(() => parseEvseOptions({ ...base, fleet: "6", sessions: "0" }), "--sessions", /--duration/);
  refused(() => parseEvOptions({ ...base, workers: "2" }), "--workers", /needs --fleet/);
  refused(() => parseEvOptions({ ...base, maxStarting: "5" }), "--max-starting", /needs --fleet/);
  refused(() => parseEvseOptions({ ...base, duration: "5" }), "--duration", /needs --fleet/);
  refused(() => parseEvOptions({ ...base, slac: true, fleet: "2" }), "--slac", /--no-slac/);
  refused(() => parseEvseOptions({ ...base, fleet: "2", mode: "ac" }), "--mode", /DC/);
  refused(() => parseEvOptions({ ...base, fleet: "2", pcap: "x.pcapng" }), "--pcap", /one session/);
  refused(() => parseEvseOptions({ ...base, fleet: "3", sdpPort: "65534" }), "--sdp-port", /65535/);
  const o = parseEvOptions({ ...base, fleet: "6", workers: "2", maxStarting: "3", plugInSpread: "0" });
  assert.equal(o.fleet, 6);
  assert.equal(o.maxStarting, 3);
});

test("shards and workers cover every pair exactly once", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 500 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 9 }),
      (n, s, w) => {
        const all: number[] = [];
        for (let k = 0; k < s; k++) {
          const mine = shardIndices(n, { index: k, count: s });
          assert.ok(mine.every((i) => i % s === k));
          const parts = splitOverWorkers(mine, w);
          assert.ok(parts.length <= w && parts.every((p) => p.length > 0));
          for (const p of parts) all.push(...p);
        }
        assert.deepEqual(
          all.sort((a, b) => a - b),
          Array.from({ length: n }, (_, i) => i),
        );
      },
    ),
  );
});

test("pair i's board and plug-in time", () => {
  assert.equal(fleetBoardSpec("sim:/tmp/f/", 7), "sim:/tmp/f/w7.sock");
  assert.equal(fleetBoardSpec("unix:/run/b", 0), "unix:/run/b/w0.sock");
  assert.equal(fleetBoardSpec("tcp:rig.local:7000", 12), "tcp:rig.local:7012");
  assert.equal(fleetBoardSpec("stdio:board --n {i}", 3), "stdio:board --n 3");
  assert.equal(
    fleetBoardSpec("stdio:exec nacs board-sim --role evse --listen tcp:[::]:{7000+i}", 5),
    "stdio:exec nacs board-sim --role evse --listen tcp:[::]:7005",
  );
  assert.match(fleetBoardSpec("sim", 2), /^sim:.*nacs-fleet\/w2\.sock$/);
  assert.deepEqual(
    [...plugInOffsets([1, 3, 5], 10).entries()],
    [
      [1, 0],
      [3, 5000],
      [5, 10_000],
    ],
  );
  assert.deepEqual([...plugInOffsets([4], 10).entries()], [[4, 0]]);
});

test("nacs evse --fleet with a bad --shard exits 2 naming the option and the rule", () => {
  const r = spawnSync(
    process.execPath,
    ["bin/nacs.js", "evse", "--fleet", "2", "--shard", "3/2", "--iface", "lo", "--no-slac"],
    { encoding: "utf8", timeout: 30_000 },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--shard.*0 ≤ K < S/);
});

test("workers: never more than the pairs, raised when the descriptors of one would pass ulimit -n", () => {
  assert.deepEqual(fleetWorkerCount(4, 3), { count: 3, note: null });
  assert.deepEqual(fleetWorkerCount(2, 1000, 5, 20_000), { count: 2, note: null });
  const r = fleetWorkerCount(2, 10_000, 5, 20_000);
  assert.equal(r.count, 3);
  assert.match(
    r.note ?? "",
    /--workers 2 raised to 3: 10000 pairs need about 50000 descriptors, at most 20000 per process/,
  );
});

test("--charge-loop-ms: one pause or MIN-MAX within the bounds, named on refusal; needs --fleet", () => {
  const fleet = { ...base, fleet: "4" };
  assert.deepEqual(parseEvOptions({ ...fleet, chargeLoopMs: "200" }).chargeLoopMs, {
    minMs: 200,
    maxMs: 200,
  });
  assert.deepEqual(parseEvOptions({ ...fleet, chargeLoopMs: "150-250" }).chargeLoopMs, {
    minMs: 150,
    maxMs: 250,
  });
  assert.equal(parseEvOptions(fleet).chargeLoopMs, undefined);
  for (const bad of ["250-150", "10", "100-460", "fast", "1.5"])
    refused(() => parseEvOptions({ ...fleet, chargeLoopMs: bad }), "--charge-loop-ms", /MIN-MAX/);
  refused(() => parseEvOptions({ ...base, chargeLoopMs: "200" }), "--charge-loop-ms", /needs --fleet/);
});

test("each vehicle's pause lies in the range, and any run of vehicles spreads over it", () => {
  const r = LIVE_FLEET_DEFAULT_CHARGE_LOOP;
  fc.assert(
    fc.property(fc.nat(60_000), fc.integer({ min: 20, max: 200 }), (from, n) => {
      const pauses = Array.from({ length: n }, (_, k) => vehicleChargeLoopMs(r, from + k));
      assert.ok(pauses.every((p) => Number.isInteger(p) && p >= r.minMs && p <= r.maxMs));
      // every tenth of the range holds some of any 20 consecutive vehicles' pauses
      const tenths = new Set(
        pauses.map((p) => Math.min(9, Math.floor((10 * (p - r.minMs)) / (r.maxMs - r.minMs)))),
      );
      assert.equal(tenths.size, 10, `${pauses.slice(0, 20)}`);
    }),
  );
  assert.equal(vehicleChargeLoopMs({ minMs: 200, maxMs: 200 }, 7), 200);
});

test("--board-mux: tcp:HOST:PORT (an IPv6 host in brackets); refused without --fleet, in another form, or with a board that is not sim", () => {
  for (const parse of [parseEvOptions, parseEvseOptions]) {
    assert.deepEqual(parse({ ...base, fleet: "4", boardMux: "tcp:[::]:7000" }).boardMux, {
      host: "::",
      port: 7000,
    });
    assert.deepEqual(parse({ ...base, fleet: "4", boardMux: "tcp:10.0.0.2:7000" }).boardMux, {
      host: "10.0.0.2",
      port: 7000,
    });
    refused(() => parse({ ...base, boardMux: "tcp:[::1]:7000" }), "--board-mux", /needs --fleet N/);
    refused(
      () => parse({ ...base, fleet: "4", boardMux: "unix:/tmp/m.sock" }),
      "--board-mux",
      /must be tcp:HOST:PORT/,
    );
    refused(
      () => parse({ ...base, fleet: "4", boardMux: "tcp:[::1]:0" }),
      "--board-mux",
      /port "0" is not an integer 1…65535/,
    );
    refused(
      () => parse({ ...base, fleet: "4", board: "tcp:[::1]:9000", boardMux: "tcp:[::1]:7000" }),
      "--board-mux",
      /needs --board sim or sim:DIR \(not tcp:\[::1\]:9000\)/,
    );
  }
});

test("--board-mux-key FILE: read once to check it; refused without --board-mux, unreadable or too short, naming the rule", () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-mux-key-"));
  try {
    const key = join(dir, "key");
    writeFileSync(key, `${"ab".repeat(32)}\n`);
    const short = join(dir, "short");
    writeFileSync(short, "0123456789\n");
    const mux = { ...base, fleet: "4", boardMux: "tcp:[::1]:7000" };
    for (const parse of [parseEvOptions, parseEvseOptions]) {
      assert.equal(parse({ ...mux, boardMuxKey: key }).boardMuxKey, key, "the file, not the key");
      refused(() => parse({ ...base, fleet: "4", boardMuxKey: key }), "--board-mux-key", /needs --board-mux/);
      refused(() => parse({ ...base, boardMuxKey: key }), "--board-mux-key", /needs --fleet N/);
      refused(
        () => parse({ ...mux, boardMuxKey: short }),
        "--board-mux-key",
        /has 10 bytes: 16–4096 are needed/,
      );
      refused(
        () => parse({ ...mux, boardMuxKey: join(dir, "none") }),
        "--board-mux-key",
        /cannot read the key file .*none: ENOENT/,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--board sim:DIR: a fleet creates the cables' folder with its parents; a path through a file is refused naming --board; other boards need none", () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-sim-dir-"));
  try {
    const deep = join(dir, "a", "b");
    ensureFleetSimDir(`sim:${deep}/`);
    assert.ok(statSync(deep).isDirectory());
    ensureFleetSimDir(`sim:${deep}`); // an existing folder
    const file = join(dir, "file");
    writeFileSync(file, "");
    assert.throws(
      () => ensureFleetSimDir(`sim:${file}/x`),
      (e: unknown) => e instanceof UsageError && /option --board: ".*file" is not a folder/.test(e.message),
    );
    ensureFleetSimDir(`tcp:[::1]:7000`);
    ensureFleetSimDir(`stdio:exec nacs board-sim --role evse`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
