import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { openBoardStream } from "../../link/board/adapters.js";
import { type BoardLost, createBoardLink } from "../../link/board/board-link.js";
import type { EvseBoardReading } from "../../link/board/messages.js";
import { until } from "../../sim/board/test-support.js";
import { UsageError } from "../errors.js";
import { spawnNacs } from "../testing/spawn-nacs.js";
import { parseBoardSimOptions } from "./board-sim.js";

const mainTs = fileURLToPath(new URL("../main.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "nacs-board-sim-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("board-sim options: defaults; --listen required without --role; bad values name option, value and rule", () => {
  const o = parseBoardSimOptions({ role: "evse" });
  assert.deepEqual(
    [o.chargerKw, o.chargerClass, o.batteryKwh, o.evClass, o.soc, o.seed],
    [250, "1000v", 75, "800v", 20, 1],
  );
  const usage = (raw: Record<string, unknown>, re: RegExp) =>
    assert.throws(
      () => parseBoardSimOptions(raw),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
    );
  usage({}, /option --listen: value \(default\) is not allowed: is required without --role/);
  usage(
    { role: "car", listen: "unix:/tmp/x" },
    /option --role: value "car" is not allowed: must be "evse" or "ev"/,
  );
  usage({ role: "evse", chargerClass: "800v" }, /option --charger-class: value "800v" .*"500v"/);
  usage({ role: "ev", soc: "120" }, /option --soc: value "120" is not allowed: must be at most 100/);
  usage({ listen: "udp:1.2.3.4:5" }, /option --listen: value "udp:1.2.3.4:5" .*unix:PATH \| tcp:HOST:PORT/);
  usage({ listen: "tcp:127.0.0.1:99999" }, /option --listen: .*not an integer 0…65535/);
});

test("board-sim --fleet options: the cables' folder and mux; refused with --role or --listen, other boards, fleet flags without --fleet, a key without --board-mux", () => {
  const usage = (raw: Record<string, unknown>, re: RegExp) =>
    assert.throws(
      () => parseBoardSimOptions(raw),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
    );
  const o = parseBoardSimOptions({
    fleet: "4",
    board: "sim:/tmp/park",
    boardMux: "tcp:[::1]:7000",
    json: true,
  });
  assert.deepEqual(
    [o.fleet, o.board, o.boardMux, o.json],
    [4, "sim:/tmp/park", { host: "::1", port: 7000 }, true],
  );
  assert.equal(parseBoardSimOptions({ fleet: "4" }).listen, undefined, "--listen not required with --fleet");
  usage({ fleet: "4", role: "evse" }, /option --role: .*not with --fleet: each cable serves both sides/);
  usage({ fleet: "4", listen: "unix:/tmp/x" }, /option --listen: .*not with --fleet/);
  usage(
    { fleet: "4", board: "tcp:[::1]:9000" },
    /option --board: .*sim or sim:DIR, where the cables. sockets go \(not tcp:\[::1\]:9000\)/,
  );
  usage({ fleet: "4", shard: "0/5" }, /option --shard: .*S ≤ --fleet \(4\)/);
  const key = join(dir, "mux.key");
  writeFileSync(key, "ab".repeat(32));
  usage({ fleet: "4", boardMuxKey: key }, /option --board-mux-key: .*needs --board-mux/);
  for (const k of ["board", "boardMux", "timeScale"])
    usage(
      { role: "evse", [k]: k === "boardMux" ? "tcp:[::1]:7000" : k === "board" ? "sim" : "2" },
      /needs --fleet N/,
    );
  usage({ role: "evse", json: true }, /option --json: .*needs --fleet N/);
});

test("nacs board-sim without --role or --listen exits 2 naming --listen", async () => {
  const p = spawnNacs(["board-sim"]);
  assert.equal(await p.exit, 2);
  assert.match(p.err, /option --listen/);
});

test("nacs board-sim --role evse: protocol on stdio, EV over --listen; killing it loses the links", async () => {
  const sock = join(dir, "b.sock");
  const cmd = `exec ${process.execPath} --import tsx ${mainTs} board-sim --role evse --listen unix:${sock} --log-level error`;
  const stream = await openBoardStream(`stdio:${cmd}`);
  assert.ok(stream.pid);
  const evse = createBoardLink({ role: "evse", stream, host: "nacs test", helloTimeoutMs: 30_000 });
  const readings: EvseBoardReading[] = [];
  const lost: BoardLost[] = [];
  evse.onReading((r) => readings.push(r));
  evse.onLost((l) => lost.push(l));
  try {
    const hello = await evse.ready;
    assert.match(hello.board, /^nacs board-sim/);
    await until(() => readings.some((r) => r.type === "measure"), "periodic measurements on stdout");
    assert.ok(existsSync(sock), "listening on the unix socket");

    const ev = createBoardLink({
      role: "ev",
      stream: await openBoardStream(`unix:${sock}`),
      host: "nacs test",
    });
    const evLost: BoardLost[] = [];
    ev.onLost((l) => evLost.push(l));
    await ev.ready;
    await until(() => readings.some((r) => r.type === "cp" && r.state === "B"), "CP B after the EV hello");
    evse.send({ type: "duty", duty: 5 });

    process.kill(stream.pid, "SIGKILL");
    await until(() => lost.length > 0 && evLost.length > 0, "both links lost", 5000);
    assert.equal(lost[0]?.reason, "closed");
    assert.match(lost[0]?.detail ?? "", /killed by SIGKILL|ended/);
  } finally {
    evse.close();
  }
});

test("nacs board-sim --role ev exits when the host closes the link (stdin ends)", async () => {
  const cmd = `exec ${process.execPath} --import tsx ${mainTs} board-sim --role ev --log-level error`;
  const stream = await openBoardStream(`stdio:${cmd}`);
  const ev = createBoardLink({ role: "ev", stream, host: "nacs test", helloTimeoutMs: 30_000 });
  const pps: string[] = [];
  ev.onReading((r) => {
    if (r.type === "pp") pps.push(r.state);
  });
  await ev.ready;
  await until(() => pps.includes("latched"), "PP latched: the EV plugged in at its host's hello");
  const closed = new Promise((r) => stream.onClose(r));
  ev.close();
  await closed;
  await until(() => {
    try {
      process.kill(stream.pid!, 0);
      return false;
    } catch {
      return true;
    }
  }, "the board-sim process gone");
});
