import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import type { OcppCall } from "../../ocpp/index.js";
import { OCPP_JOURNAL_FILE, OCPP_JOURNAL_SLACK, openOcppJournal, readOcppJournal } from "./journal.js";

const root = mkdtempSync(join(tmpdir(), "nacs-ocpp-journal-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);

const call = (no: number, seqNo = no): OcppCall => ({
  id: `TransactionEvent-${no}`,
  action: "TransactionEvent",
  payload: { eventType: "Updated", seqNo, transactionInfo: { transactionId: "T1" } },
  txRelated: true,
});

test("journal: calls written are pending after a reopen (a crash), in their order, with their ids", () => {
  const dir = freshDir();
  const j = openOcppJournal(dir);
  for (const no of [3, 1, 2]) j.append(call(no));
  j.done("TransactionEvent-1");
  // no close: what is on disk is what a crash leaves
  const again = openOcppJournal(dir);
  assert.deepEqual(
    again.pending().map((c) => c.id),
    ["TransactionEvent-3", "TransactionEvent-2"],
  );
  assert.deepEqual(again.pending()[1], call(2));
  again.close();
  j.close();
});

test("journal: compacts to an empty file when every call is done; a call appended twice is written once", () => {
  const dir = freshDir();
  const j = openOcppJournal(dir);
  j.append(call(1));
  j.append(call(1));
  j.append(call(2));
  const file = join(dir, OCPP_JOURNAL_FILE);
  assert.equal(readFileSync(file, "utf8").trim().split("\n").length, 2);
  j.done("TransactionEvent-1");
  j.done("unknown-9");
  assert.equal(readFileSync(file, "utf8").trim().split("\n").length, 3);
  j.done("TransactionEvent-2");
  assert.equal(readFileSync(file, "utf8"), "");
  j.close();
  assert.deepEqual(openOcppJournal(dir).pending(), []);
});

test("journal: a torn last line is ignored with a warning, and dropped from the file at open", () => {
  const dir = freshDir();
  const j = openOcppJournal(dir);
  j.append(call(1));
  j.close();
  const file = join(dir, OCPP_JOURNAL_FILE);
  appendFileSync(file, JSON.stringify({ op: "call", call: call(2) }).slice(0, 30));
  const warnings: string[] = [];
  const again = openOcppJournal(dir, (w) => warnings.push(w));
  assert.deepEqual(
    again.pending().map((c) => c.id),
    ["TransactionEvent-1"],
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /line 2: torn last line/);
  // appending after the torn tail yields a readable file
  again.append(call(3));
  again.close();
  assert.deepEqual(
    readOcppJournal(readFileSync(file, "utf8")).pending.map((c) => c.id),
    ["TransactionEvent-1", "TransactionEvent-3"],
  );
});

test("journal: lines of the wrong shape are skipped with a warning naming the rule", () => {
  const dir = freshDir();
  openOcppJournal(dir).close();
  writeFileSync(join(dir, OCPP_JOURNAL_FILE), '{"op":"call","call":{"id":5}}\n{"op":"x"}\nnull\n');
  const warnings: string[] = [];
  assert.deepEqual(openOcppJournal(dir, (w) => warnings.push(w)).pending(), []);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0]!, /op must be "call" \(with a call\), "done" \(with an id\) or "txid"/);
});

test("journal, 1.6: the CSMS's transactionId of a transaction number survives a restart while a pending call needs it", () => {
  const dir = freshDir();
  const meter = (n: number, local: number) => ({
    id: `MeterValues-${n}`,
    action: "MeterValues",
    txRelated: true,
    txLocal: local,
    payload: { connectorId: 1, meterValue: [] },
  });
  const j = openOcppJournal(dir);
  j.noteTxId(1, 501);
  j.append(meter(1, 1));
  j.noteTxId(2, 502);
  j.noteTxId(2, 502); // again: nothing written
  j.close();
  const text = readFileSync(join(dir, OCPP_JOURNAL_FILE), "utf8");
  assert.equal(text.match(/"op":"txid"/g)?.length, 2);
  const again = openOcppJournal(dir);
  // transaction 2 has no pending call: only 1's number is restored
  assert.deepEqual(again.txIds(), { 1: 501 });
  assert.deepEqual(readOcppJournal(text).txIds, { 1: 501 });
  again.done("MeterValues-1");
  assert.deepEqual(again.pending(), []);
  again.close();
  const last = openOcppJournal(dir);
  last.noteTxId(3, 503);
  last.noteTxId(4, 504);
  last.append(meter(2, 3));
  last.done("MeterValues-2"); // nothing pending: compacted
  last.close();
  assert.deepEqual(
    readOcppJournal(readFileSync(join(dir, OCPP_JOURNAL_FILE), "utf8")).txIds,
    {},
    "compacted: no pending call needs a number",
  );
  assert.match(
    readFileSync(join(dir, OCPP_JOURNAL_FILE), "utf8"),
    /"local":4,"transactionId":504/,
    "the newest kept",
  );
});

test("journal (property): any text, any cut of a journal, never throws", () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      readOcppJournal(text);
    }),
  );
  const whole = `${JSON.stringify({ op: "call", call: call(1) })}\n${JSON.stringify({ op: "done", id: "TransactionEvent-1" })}\n`;
  fc.assert(
    fc.property(fc.nat(whole.length), (cut) => {
      const r = readOcppJournal(whole.slice(0, cut));
      assert.ok(r.pending.length <= 1);
      assert.ok(r.warnings.length <= 1);
    }),
  );
});

test("journal: a queue that never empties stays bounded (rewritten past the slack of done lines)", () => {
  const dir = freshDir();
  const j = openOcppJournal(dir);
  j.append(call(0));
  // call 0 stays pending throughout; 1000 others come and go
  for (let no = 1; no <= 1000; no++) {
    j.append(call(no));
    j.done(`TransactionEvent-${no}`);
  }
  const text = readFileSync(join(dir, OCPP_JOURNAL_FILE), "utf8");
  assert.ok(text.split("\n").length <= 2 + OCPP_JOURNAL_SLACK + 3, `${text.split("\n").length} lines`);
  assert.deepEqual(
    readOcppJournal(text).pending.map((c) => c.id),
    ["TransactionEvent-0"],
  );
  j.close();
});
