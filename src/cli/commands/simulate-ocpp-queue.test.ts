/**
 * `nacs simulate --ocpp URL --ocpp-queue DIR`: the offline queue on disk survives a crash. The CSMS dies
 * mid-session, the station queues its TransactionEvents (journal, fsynced), then the simulator itself is
 * killed with SIGKILL while offline. A second simulator on the same DIR, with a CSMS back on the same
 * address, delivers every queued TransactionEvent of the first run in order, seqNo without a gap, and ends
 * that transaction (stoppedReason PowerLoss, OCPP 2.0.1 E07 / E11). The same with OCPP 1.6J: the queued
 * MeterValues name the transactionId the first CSMS gave (kept on disk), and StopTransaction reason PowerLoss
 * ends that transaction at the restarted CSMS.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { CsmsSummary } from "../../link/ocpp/csms.js";
import { OCPP_JOURNAL_FILE, readOcppJournal } from "../../link/ocpp/journal.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-queue-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The TransactionEvents a CSMS received, from its NDJSON record. */
function txEvents(file: string): { transactionId: string; seqNo: number }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => {
      try {
        return JSON.parse(l) as {
          kind: string;
          dir?: string;
          action?: string;
          payload?: { seqNo: number; transactionInfo: { transactionId: string } };
        };
      } catch {
        return { kind: "torn" };
      }
    })
    .filter((r) => r.kind === "call" && r.dir === "rx" && r.action === "TransactionEvent")
    .map((r) => ({ transactionId: r.payload!.transactionInfo.transactionId, seqNo: r.payload!.seqNo }));
}

const queued = (q: string) =>
  existsSync(join(q, OCPP_JOURNAL_FILE))
    ? readOcppJournal(readFileSync(join(q, OCPP_JOURNAL_FILE), "utf8")).pending.filter(
        (c) => c.action === "TransactionEvent",
      )
    : [];

test("simulator SIGKILLed while offline: the next run on the same --ocpp-queue delivers every queued event in order", async (t) => {
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}/nacs/CP1`;
  const q = join(dir, "queue");
  const rec1 = join(dir, "csms1.ndjson");
  let c1: NacsProc | undefined;
  let c2: NacsProc | undefined;
  let sim1: NacsProc | undefined;
  let sim2: NacsProc | undefined;
  try {
    c1 = spawnNacs(["csms", "--port", String(port), "--record", rec1]);
    await waitForStderr(c1, /listening on/, 30_000);
    sim1 = spawnNacs([
      ...["simulate", "--ocpp", url, "--ocpp-queue", q],
      ...["--battery-kwh", "100", "--soc", "10", "--target-soc", "90", "--speed", "100"],
      ...["--ocpp-meter-interval", "5", "--json", "--no-record"],
    ]);
    for (let i = 0; i < 400 && txEvents(rec1).length < 4; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(txEvents(rec1).length >= 4, "the first CSMS saw the transaction start");
    c1.child.kill("SIGKILL");
    await exitWithin(c1, "first CSMS", 5_000);
    const seen1 = txEvents(rec1);
    const txId = seen1[0]!.transactionId;
    // offline: the journal grows (5 s of session = 50 ms of wall between meter values)
    for (let i = 0; i < 200 && queued(q).length < 6; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(sim1.child.exitCode, null, "the first session went on without the CSMS");
    sim1.child.kill("SIGKILL");
    await exitWithin(sim1, "first nacs simulate", 5_000);
    const onDisk = queued(q);
    assert.ok(onDisk.length >= 6, `queued on disk at the kill: ${onDisk.length}`);

    c2 = spawnNacs(["csms", "--port", String(port), "--json"]);
    await waitForStderr(c2, /listening on/, 30_000);
    sim2 = spawnNacs([
      ...["simulate", "--ocpp", url, "--ocpp-queue", q],
      ...["--battery-kwh", "20", "--soc", "50", "--target-soc", "55", "--speed", "100"],
      ...["--json", "--no-record"],
    ]);
    assert.equal(await exitWithin(sim2, "second nacs simulate", 60_000), 0, sim2.err);
    c2.child.kill("SIGTERM");
    assert.equal(await exitWithin(c2, "second CSMS", 10_000), 0, c2.err);
    const r = JSON.parse(sim2.out) as { ocpp: { undelivered: number } };
    assert.equal(r.ocpp.undelivered, 0);
    const s = JSON.parse(c2.out) as CsmsSummary;
    assert.equal(s.schemaErrors, 0);
    const tx = s.transactions[txId];
    assert.ok(tx, `the second CSMS got the first run's transaction ${txId}: ${Object.keys(s.transactions)}`);
    const later = tx.events.map((e) => e.seqNo);
    t.diagnostic(
      `first CSMS saw ${seen1.length} events; ${onDisk.length} on disk at the SIGKILL; second CSMS got seqNo ${later}`,
    );
    assert.deepEqual(
      later,
      later.map((_, i) => later[0]! + i),
      `second CSMS, in order without a gap: ${later}`,
    );
    // nothing lost between the runs: the second CSMS starts at most one past what the first saw (the
    // one in flight at the CSMS's kill may come twice: OCPP-J delivers at least once)
    const max1 = Math.max(...seen1.filter((e) => e.transactionId === txId).map((e) => e.seqNo));
    assert.ok(later[0]! <= max1 + 1, `first saw up to ${max1}, second starts at ${later[0]}`);
    // every event on disk at the kill arrived
    for (const c of onDisk) assert.ok(later.includes(c.payload.seqNo as number), `seqNo ${c.payload.seqNo}`);
    assert.equal(tx.events.at(-1)!.eventType, "Ended");
    assert.equal(tx.stoppedReason, "PowerLoss");
    // the second run's own transaction is whole as well, and the journal is compacted
    assert.equal(Object.keys(s.transactions).length, 2);
    assert.equal(readFileSync(join(q, OCPP_JOURNAL_FILE), "utf8"), "");
  } finally {
    killIfRunning(sim1);
    killIfRunning(sim2);
    killIfRunning(c1);
    killIfRunning(c2);
  }
});

test("no CSMS at start: with --ocpp-queue and --ocpp-offline-auth accept the session charges offline, the station keeps trying and delivers when a CSMS appears", async () => {
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}/nacs/CP2`;
  const q = join(dir, "queue-cold");
  let c: NacsProc | undefined;
  let sim: NacsProc | undefined;
  try {
    sim = spawnNacs([
      ...["simulate", "--ocpp", url, "--ocpp-queue", q, "--ocpp-offline-auth", "accept"],
      ...["--battery-kwh", "20", "--soc", "50", "--target-soc", "60", "--speed", "100"],
      ...["--ocpp-meter-interval", "5", "--json", "--no-record"],
    ]);
    // the session starts offline and its transaction events go to the journal
    for (let i = 0; i < 400 && queued(q).length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(queued(q).length >= 2, `queued on disk while offline: ${queued(q).length}`);
    c = spawnNacs(["csms", "--port", String(port), "--json"]);
    await waitForStderr(c, /listening on/, 30_000);
    assert.equal(await exitWithin(sim, "nacs simulate", 60_000), 0, sim.err);
    c.child.kill("SIGTERM");
    assert.equal(await exitWithin(c, "CSMS", 10_000), 0, c.err);
    const r = JSON.parse(sim.out) as { stopReason: string; ocpp: { undelivered: number } };
    assert.equal(r.stopReason, "target SOC reached");
    assert.equal(r.ocpp.undelivered, 0);
    const s = JSON.parse(c.out) as CsmsSummary;
    const txs = Object.values(s.transactions);
    assert.equal(txs.length, 1);
    const seq = txs[0]!.events.map((e) => e.seqNo);
    assert.deepEqual(
      seq,
      seq.map((_, i) => i),
    );
    assert.ok(txs[0]!.events[0]!.offline, "the Started event was made offline");
    assert.equal(txs[0]!.events.at(-1)!.eventType, "Ended");
  } finally {
    killIfRunning(sim);
    killIfRunning(c);
  }
});

/** The 1.6 transaction messages a CSMS received, from its NDJSON record. */
function calls16(file: string): { action: string; payload: Record<string, unknown> }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((l) => {
      try {
        const r = JSON.parse(l) as {
          kind: string;
          dir?: string;
          action?: string;
          payload?: Record<string, unknown>;
        };
        return r.kind === "call" && r.dir === "rx" && r.action
          ? [{ action: r.action, payload: r.payload ?? {} }]
          : [];
      } catch {
        return [];
      }
    });
}

test("OCPP 1.6: simulator SIGKILLed while offline: the next run delivers the queued MeterValues with the CSMS's transactionId and stops it PowerLoss", async (t) => {
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}/nacs/CP16`;
  const q = join(dir, "queue16");
  const rec1 = join(dir, "csms16-1.ndjson");
  const rec2 = join(dir, "csms16-2.ndjson");
  const v16 = ["--ocpp-version", "1.6"];
  const procs: (NacsProc | undefined)[] = [];
  try {
    const c1 = spawnNacs(["csms", "--port", String(port), "--record", rec1]);
    procs.push(c1);
    await waitForStderr(c1, /listening on/, 30_000);
    const sim1 = spawnNacs([
      ...["simulate", "--ocpp", url, ...v16, "--ocpp-queue", q],
      ...["--battery-kwh", "100", "--soc", "10", "--target-soc", "90", "--speed", "100"],
      ...["--ocpp-meter-interval", "5", "--json", "--no-record"],
    ]);
    procs.push(sim1);
    const meters = () => calls16(rec1).filter((c) => c.action === "MeterValues").length;
    for (let i = 0; i < 400 && meters() < 3; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(meters() >= 3, "the first CSMS saw the transaction's meter values");
    c1.child.kill("SIGKILL");
    await exitWithin(c1, "first CSMS", 5_000);
    const queuedMeters = () =>
      existsSync(join(q, OCPP_JOURNAL_FILE))
        ? readOcppJournal(readFileSync(join(q, OCPP_JOURNAL_FILE), "utf8")).pending.filter(
            (c) => c.action === "MeterValues",
          )
        : [];
    for (let i = 0; i < 200 && queuedMeters().length < 4; i++) await new Promise((r) => setTimeout(r, 25));
    sim1.child.kill("SIGKILL");
    await exitWithin(sim1, "first nacs simulate", 5_000);
    const onDisk = queuedMeters();
    const journal = readOcppJournal(readFileSync(join(q, OCPP_JOURNAL_FILE), "utf8"));
    assert.ok(onDisk.length >= 4, `queued on disk at the kill: ${onDisk.length}`);
    assert.deepEqual(Object.values(journal.txIds), [1], "the first CSMS's transactionId is on disk");

    // a restarted CSMS gives new ids; it learns the first run's transaction from what arrives
    const c2 = spawnNacs([
      "csms",
      "--port",
      String(port),
      "--json",
      "--record",
      rec2,
      "--first-transaction-id",
      "1000",
    ]);
    procs.push(c2);
    await waitForStderr(c2, /listening on/, 30_000);
    const sim2 = spawnNacs([
      ...["simulate", "--ocpp", url, ...v16, "--ocpp-queue", q],
      ...["--battery-kwh", "20", "--soc", "50", "--target-soc", "55", "--speed", "100"],
      ...["--json", "--no-record"],
    ]);
    procs.push(sim2);
    assert.equal(await exitWithin(sim2, "second nacs simulate", 60_000), 0, sim2.err);
    c2.child.kill("SIGTERM");
    assert.equal(await exitWithin(c2, "second CSMS", 10_000), 0, c2.err);
    const s = JSON.parse(c2.out) as CsmsSummary;
    assert.equal(s.schemaErrors, 0);
    const got = calls16(rec2);
    const ids = (action: string) =>
      got.filter((c) => c.action === action).map((c) => c.payload.transactionId);
    t.diagnostic(
      `${onDisk.length} MeterValues on disk at the SIGKILL; second CSMS: ${got.map((c) => c.action).join(", ")}`,
    );
    // every queued meter value arrived, first, in order, naming transaction 1
    const restored = got.filter((c) => c.action === "MeterValues" && c.payload.transactionId === 1);
    assert.ok(restored.length >= onDisk.length, `${restored.length} of ${onDisk.length} queued meter values`);
    const old = s.transactions["1"];
    assert.ok(old, `the first run's transaction 1 reached the second CSMS: ${Object.keys(s.transactions)}`);
    assert.equal(old.stoppedReason, "PowerLoss");
    assert.equal(
      old.meterStopWh,
      Math.round(old.lastEnergyWh ?? Number.NaN),
      "meterStop = the last queued register (whole Wh)",
    );
    // the second run's own transaction: the new CSMS's id
    assert.deepEqual(ids("StopTransaction"), [1, 1000]);
    assert.equal(readFileSync(join(q, OCPP_JOURNAL_FILE), "utf8").includes('"op":"call"'), false);
  } finally {
    for (const p of procs) killIfRunning(p);
  }
});
