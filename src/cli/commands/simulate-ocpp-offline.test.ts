/**
 * `nacs simulate --ocpp` when the CSMS dies mid-session (SIGKILL): the session goes on, the station queues
 * its transaction events (in memory for now) and, when a CSMS is back on the same address, sends them in
 * order, marked offline (OCPP 2.0.1 E11 Connection Loss During Transaction), the Ended event with the session's meter energy.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { CsmsSummary } from "../../link/ocpp/csms.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-off-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** seqNos of the TransactionEvents a CSMS received, from its NDJSON record. */
function seqNos(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .filter((l) => l.length > 0)
    .map(
      (l) => JSON.parse(l) as { kind: string; dir?: string; action?: string; payload?: { seqNo?: number } },
    )
    .filter((r) => r.kind === "call" && r.dir === "rx" && r.action === "TransactionEvent")
    .map((r) => r.payload!.seqNo!);
}

test("CSMS killed mid-session: the session continues; on restart the queued events arrive in order", async () => {
  const port = await freePort();
  const rec1 = join(dir, "csms1.ndjson");
  let c1: NacsProc | undefined;
  let c2: NacsProc | undefined;
  let sim: NacsProc | undefined;
  try {
    c1 = spawnNacs(["csms", "--port", String(port), "--record", rec1]);
    await waitForStderr(c1, /listening on/, 30_000);
    sim = spawnNacs([
      "simulate",
      "--ocpp",
      `ws://127.0.0.1:${port}/nacs/CP1`,
      ...["--battery-kwh", "20", "--soc", "20", "--target-soc", "60", "--speed", "20"],
      ...["--ocpp-meter-interval", "5", "--json", "--no-record"],
    ]);
    // kill the CSMS once it has seen a few events of the transaction
    for (let i = 0; i < 300 && seqNos(rec1).length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(seqNos(rec1).length >= 4, "the first CSMS saw the transaction start");
    c1.child.kill("SIGKILL");
    await exitWithin(c1, "first CSMS", 5_000);
    const seen1 = seqNos(rec1);
    // the outage lasts as long as the second CSMS takes to start (≥ 1 s of wall time: ≥ 20 s of session)
    c2 = spawnNacs(["csms", "--port", String(port), "--json"]);
    await waitForStderr(c2, /listening on/, 30_000);
    assert.equal(sim.child.exitCode, null, "the session went on without the CSMS");
    assert.equal(await exitWithin(sim, "nacs simulate", 60_000), 0, sim.err);
    c2.child.kill("SIGTERM");
    assert.equal(await exitWithin(c2, "second CSMS", 10_000), 0, c2.err);
    const r = JSON.parse(sim.out) as {
      stopReason: string;
      energyDeliveredWh: number;
      ocpp: { undelivered: number };
    };
    const s = JSON.parse(c2.out) as CsmsSummary;
    assert.equal(r.stopReason, "target SOC reached");
    assert.equal(r.ocpp.undelivered, 0);
    assert.equal(s.schemaErrors, 0);
    const tx = Object.values(s.transactions)[0]!;
    const later = tx.events.map((e) => e.seqNo);
    // in order, nothing missing between what the first CSMS saw and what the second got (the one in flight
    // at the kill may come twice: OCPP-J delivers at least once)
    assert.deepEqual(
      later,
      later.map((_, i) => later[0]! + i),
      `second CSMS: ${later}`,
    );
    assert.ok(later[0]! <= Math.max(...seen1) + 1, `first saw ${seen1}, second starts at ${later[0]}`);
    assert.ok(
      tx.events.some((e) => e.offline === true),
      "events made while offline are marked so",
    );
    assert.equal(tx.events.at(-1)!.eventType, "Ended");
    const err = Math.abs(tx.endedEnergyWh! - r.energyDeliveredWh) / r.energyDeliveredWh;
    assert.ok(err <= 0.001, `Ended ${tx.endedEnergyWh} Wh vs ${r.energyDeliveredWh} Wh`);
  } finally {
    killIfRunning(sim);
    killIfRunning(c1);
    killIfRunning(c2);
  }
});
