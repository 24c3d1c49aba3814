import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { EvBoardEvent, EvseBoardEvent } from "../../link/host/controllers.js";
import { realClock } from "../../machine/index.js";
import { joinSharedWorld } from "./shared-world.js";
import { testWorld, until } from "./test-support.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-shared-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const sockPath = () => join(dir, `w${n++}.sock`);
const factory = () => testWorld(realClock, { measureEveryMs: 100 });

test("shared world: the first process hosts, the second joins over the socket; readings flow both ways", async () => {
  const path = sockPath();
  const a = await joinSharedWorld({ path, role: "evse", clock: realClock, world: factory });
  assert.equal(a.hosting, true);
  assert.equal(a.port.name, "sim");
  const b = await joinSharedWorld({
    path,
    role: "ev",
    clock: realClock,
    world: () => assert.fail("the joiner builds no world"),
    sim: { socPercent: 35 },
  });
  try {
    assert.equal(b.hosting, false);
    assert.match(b.port.name, /^sim \(unix:/);
    const toEvse: EvseBoardEvent[] = [];
    const toEv: EvBoardEvent[] = [];
    const lost: string[] = [];
    a.port.attach(
      (r) => toEvse.push(r),
      () => {},
    );
    b.port.attach(
      (r) => toEv.push(r),
      (d) => lost.push(d),
    );
    // The joiner's hello plugged the EV in, after applying its `sim` settings.
    await until(() => toEvse.some((r) => r.kind === "cp" && r.state === "B"), "CP B at the EVSE");
    assert.equal(a.world?.path.soc, 35);
    await until(() => toEv.some((r) => r.kind === "pp" && r.state === "latched"), "PP latched at the EV");
    a.port.command({ kind: "duty", duty: 5 });
    await until(() => toEv.some((r) => r.kind === "duty" && r.duty === 5), "duty 5 at the EV");
    b.port.command({ kind: "s2", closed: true });
    await until(() => toEvse.some((r) => r.kind === "cp" && r.state === "C"), "CP C at the EVSE");
    await until(() => toEv.some((r) => r.kind === "bms"), "BMS readings at the EV");

    // A third process for a role that is taken is refused with the reason.
    await assert.rejects(
      joinSharedWorld({ path, role: "ev", clock: realClock, world: factory }),
      /already has a live host/,
    );
    await assert.rejects(
      joinSharedWorld({ path, role: "evse", clock: realClock, world: factory }),
      /serves only ev here; the evse side is run by the process that hosts it/,
    );
  } finally {
    await b.close();
  }
  await until(() => a.world?.cable.plugged === false, "the EV leaving on bye");
  await a.close();
  assert.equal(existsSync(path), false, "socket file removed");
});

test("shared world: the host closing makes the joiner's board lost", async () => {
  const path = sockPath();
  const a = await joinSharedWorld({ path, role: "ev", clock: realClock, world: factory });
  const b = await joinSharedWorld({ path, role: "evse", clock: realClock, world: factory });
  assert.deepEqual([a.hosting, b.hosting], [true, false]);
  const lost: string[] = [];
  b.port.attach(
    () => {},
    (d) => lost.push(d),
  );
  a.port.attach(
    () => {},
    () => {},
  );
  await until(() => a.world?.cable.plugged === true, "EV plugged in when its in-process controller attaches");
  await a.close();
  await until(() => lost.length > 0, "joiner's board lost");
  assert.match(lost[0]!, /closed/);
  await b.close();
});

test("shared world: both starting at once → one hosts, one joins (EADDRINUSE retried)", async () => {
  const path = sockPath();
  const [a, b] = await Promise.all([
    joinSharedWorld({ path, role: "evse", clock: realClock, world: factory }),
    joinSharedWorld({ path, role: "ev", clock: realClock, world: factory }),
  ]);
  assert.equal(Number(a.hosting) + Number(b.hosting), 1);
  await (a.hosting ? b : a).close();
  await (a.hosting ? a : b).close();
});

test("shared world: a stale socket file (its process died) is removed and the caller hosts", async () => {
  const path = sockPath();
  const child = spawn(
    process.execPath,
    ["-e", `require("node:net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((r) => child.stdout.once("data", () => r()));
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  assert.equal(existsSync(path), true, "the dead listener left its socket file");
  const a = await joinSharedWorld({ path, role: "evse", clock: realClock, world: factory });
  assert.equal(a.hosting, true);
  await a.close();
});
