import assert from "node:assert/strict";
import { test } from "node:test";
import { createBoardEndpoint } from "./board-endpoint.js";
import { type BoardLost, type BoardWarning, createBoardLink } from "./board-link.js";
import type { BoardError } from "./errors.js";
import {
  BOARD_HEARTBEAT_INTERVAL_MS,
  BOARD_HEARTBEAT_LIMIT_MS,
  BOARD_HELLO_RETRY_MS,
  BOARD_HELLO_TIMEOUT_MS,
  type BoardRole,
  type EvseBoardCommand,
  type EvseBoardReading,
} from "./protocol.js";
import { type BoardStream, createBoardStreamPair } from "./stream.js";
import { collectLines, createFakeTimers } from "./test-support.js";

/** A host link and the raw board side of the stream, on fake timers. */
function rawSetup(role: BoardRole = "evse") {
  const timers = createFakeTimers();
  const [hostSide, boardSide] = createBoardStreamPair();
  const link = createBoardLink({ role, stream: hostSide, timers, host: "nacs test" });
  const fromHost = collectLines(boardSide);
  let seq = 0;
  const say = (body: Record<string, unknown>, s = seq++): void =>
    boardSide.write(`${JSON.stringify({ v: 1, seq: s, ...body })}\n`);
  const lost: BoardLost[] = [];
  const warnings: BoardWarning[] = [];
  const errors: BoardError[] = [];
  link.onLost((l) => lost.push(l));
  link.onWarning((w) => warnings.push(w));
  link.onError((e) => errors.push(e));
  return { timers, link, boardSide, fromHost, say, lost, warnings, errors };
}

const hello = { type: "hello", role: "evse", protocol: 1, board: "raw" };

test("board link: handshake with the endpoint, readings with tMs, commands with acks, bye on close", async () => {
  const timers = createFakeTimers();
  const [h, b] = createBoardStreamPair();
  const board = createBoardEndpoint({
    role: "evse",
    stream: b,
    timers,
    name: "sim-board",
    capabilities: ["imd"],
  });
  board.sendReading({ type: "cp", state: "A" }); // current state before the host is there
  board.sendReading({ type: "measure", voltageV: 0 });
  board.sendReading({ type: "measure", energyWh: 5 });
  const link = createBoardLink({ role: "evse", stream: h, timers, host: "nacs 0.1.0" });
  const readings: [EvseBoardReading, number][] = [];
  link.onReading((r, m) => readings.push([r, m.tMs]));
  const commands: EvseBoardCommand[] = [];
  board.onCommand((c) => commands.push(c));
  const hostHellos: string[] = [];
  board.onHello((x) => hostHellos.push(x.host));
  const acks: number[] = [];
  link.onAck((a) => acks.push(a.seq));

  assert.throws(
    () => link.send({ type: "duty", duty: 100 }),
    (e: BoardError) => e.code === "not-ready",
  );
  await timers.advance(0);
  const hi = await link.ready;
  assert.deepEqual(hi, {
    type: "hello",
    role: "evse",
    protocol: 1,
    board: "sim-board",
    capabilities: ["imd"],
  });
  assert.equal(link.state, "ready");
  assert.deepEqual(hostHellos, ["nacs 0.1.0"]);
  // The board's current state follows its hello; partial measures are merged.
  assert.deepEqual(readings, [
    [{ type: "cp", state: "A" }, 0],
    [{ type: "measure", voltageV: 0, energyWh: 5 }, 0],
  ]);

  await timers.advance(250);
  board.sendReading({ type: "cp", state: "B" });
  const s1 = link.send({ type: "duty", duty: 100 });
  const s2 = link.send({ type: "module", op: "set", voltageV: 400, currentA: 10 });
  await timers.advance(10);
  assert.deepEqual(readings.at(-1), [{ type: "cp", state: "B" }, 250]);
  assert.deepEqual(commands, [
    { type: "duty", duty: 100 },
    { type: "module", op: "set", voltageV: 400, currentA: 10 },
  ]);
  assert.deepEqual(acks, [s1, s2]);
  assert.throws(
    () => link.send({ type: "duty", duty: 150 }),
    (e: BoardError) => e.code === "bad-message" && /field "duty": Too big/.test(e.message),
  );

  const boardLost: string[] = [];
  board.onLost((l) => boardLost.push(l.reason));
  const lost: BoardLost[] = [];
  link.onLost((l) => lost.push(l));
  await timers.advance(5 * BOARD_HEARTBEAT_LIMIT_MS); // heartbeats both ways keep it alive
  assert.equal(link.state, "ready");
  assert.equal(board.state, "ready");
  link.close();
  await timers.advance(10);
  assert.deepEqual(boardLost, ["bye"], "reported once, then the stream ends");
  assert.equal(board.state, "ended");
  assert.deepEqual(lost, [], "a local close is not a loss");
  assert.equal(link.send({ type: "duty", duty: 0 }), undefined);
});

test("board link: heartbeat loss is reported exactly at the limit, once", async () => {
  const { timers, link, say, lost } = rawSetup();
  await timers.advance(0);
  say(hello);
  await timers.advance(0);
  await link.ready;
  await timers.advance(300);
  say({ type: "heartbeat" });
  await timers.advance(BOARD_HEARTBEAT_LIMIT_MS - 1);
  assert.equal(lost.length, 0, "not lost 1 ms before the limit");
  await timers.advance(1);
  assert.equal(lost.length, 1);
  assert.equal(lost[0]?.reason, "heartbeat");
  assert.match(lost[0]?.detail ?? "", /nothing received for 500 ms/);
  assert.equal((lost[0]?.error as BoardError | undefined)?.code, "heartbeat-lost");
  assert.equal(link.state, "ended");
  await timers.advance(2000);
  assert.equal(lost.length, 1);
  assert.equal(timers.pending, 0, "no timer left running");
});

test("board link: the host sends heartbeats at the interval, hello is repeated until answered", async () => {
  const { timers, link, say, fromHost } = rawSetup();
  await timers.advance(2 * BOARD_HELLO_RETRY_MS);
  assert.deepEqual(
    fromHost.map((m) => [m.seq, m.type]),
    [
      [0, "hello"],
      [1, "hello"],
      [2, "hello"],
    ],
  );
  assert.deepEqual(fromHost[0], {
    v: 1,
    seq: 0,
    type: "hello",
    role: "evse",
    protocol: 1,
    host: "nacs test",
  });
  say(hello);
  say(hello); // answer to a repeated hello: ignored
  await timers.advance(0);
  await link.ready;
  const n = fromHost.length;
  for (let t = 0; t < 10; t++) {
    say({ type: "heartbeat" });
    await timers.advance(BOARD_HEARTBEAT_INTERVAL_MS);
  }
  const beats = fromHost.slice(n).filter((m) => m.type === "heartbeat");
  // the first 110 ms after the host's last other message, then every 100 ms
  assert.ok(beats.length >= 9 && beats.length <= 11, `${beats.length} heartbeats in 1 s`);
  assert.ok(
    fromHost.every((m, i) => m.seq === i),
    "host seq increments by one",
  );
  link.close();
});

test("board link: no hello answer → ready rejects with hello-timeout and the link is lost", async () => {
  const { timers, link, lost } = rawSetup();
  const rejected = assert.rejects(link.ready, (e: BoardError) => e.code === "hello-timeout");
  await timers.advance(BOARD_HELLO_TIMEOUT_MS);
  await rejected;
  assert.equal(lost[0]?.reason, "heartbeat");
});

test("board link: role and protocol mismatch are named errors", async () => {
  {
    const timers = createFakeTimers();
    const [h, b] = createBoardStreamPair();
    createBoardEndpoint({ role: "ev", stream: b, timers, name: "ev-board" });
    const link = createBoardLink({ role: "evse", stream: h, timers });
    const rejected = assert.rejects(
      link.ready,
      (e: BoardError) =>
        e.code === "role-mismatch" && /field "role" is "ev", this host runs the evse side/.test(e.message),
    );
    await timers.advance(0);
    await rejected;
    assert.equal(link.state, "ended");
  }
  {
    const { timers, link, boardSide, lost } = rawSetup();
    const rejected = assert.rejects(link.ready, (e: BoardError) => e.code === "protocol-mismatch");
    boardSide.write('{"v":2,"seq":0,"type":"hello","role":"evse","protocol":2,"board":"future"}\n');
    await timers.advance(0);
    await rejected;
    assert.equal(lost[0]?.reason, "error");
  }
});

test("board link: seq gaps and repeats are warnings, not fatal; bad lines are errors, dropped", async () => {
  const { timers, link, say, boardSide, warnings, errors } = rawSetup();
  const readings: unknown[] = [];
  link.onReading((r) => readings.push(r));
  say(hello, 0);
  await timers.advance(0);
  await link.ready;
  say({ type: "cp", state: "B" }, 1);
  say({ type: "cp", state: "C" }, 4);
  say({ type: "heartbeat" }, 4);
  boardSide.write("garbage\n");
  boardSide.write('{"v":1,"seq":6,"type":"cp","state":"Z"}\n');
  boardSide.write(`{"v":1,"seq":7,"type":"cp","x":"${"y".repeat(5000)}"}\n`);
  boardSide.write('{"v":1,"seq":8,"type":"duty","duty":5}\n');
  say({ type: "error", message: "ADC saturated" }, 5);
  say({ type: "pp", state: "latched" }, 6);
  await timers.advance(10);
  assert.deepEqual(
    warnings.map((w) => w.code),
    ["seq-gap", "seq-repeat"],
  );
  assert.match(warnings[0]?.message ?? "", /expected 2, got 4.*2 message\(s\) missing/);
  assert.deepEqual(
    errors.map((e) => e.code),
    ["bad-json", "bad-message", "too-long", "unknown-type", "board-error"],
  );
  assert.match(errors[1]?.message ?? "", /field "state": Invalid option/);
  assert.match(errors[4]?.message ?? "", /board reports: ADC saturated/);
  assert.deepEqual(readings, [
    { type: "cp", state: "B" },
    { type: "cp", state: "C" },
    { type: "pp", state: "latched" },
  ]);
  assert.equal(link.state, "ready");
  link.close();
});

test("board link: the board closing the stream → lost 'closed'; readings before hello are dropped", async () => {
  const { timers, link, say, boardSide, lost } = rawSetup();
  const readings: unknown[] = [];
  link.onReading((r) => readings.push(r));
  say({ type: "cp", state: "A" });
  say(hello);
  await timers.advance(0);
  await link.ready;
  boardSide.close();
  await timers.advance(0);
  assert.deepEqual(readings, []);
  assert.equal(lost.length, 1);
  assert.equal(lost[0]?.reason, "closed");
  assert.equal(timers.pending, 0);
});

test("board endpoint: loses a silent host at the limit, answers commands before hello with an error", async () => {
  const timers = createFakeTimers();
  const [h, b]: [BoardStream, BoardStream] = createBoardStreamPair();
  const board = createBoardEndpoint({ role: "ev", stream: b, timers, name: "ev-sim" });
  const toHost = collectLines(h);
  const lost: string[] = [];
  board.onLost((l) => lost.push(l.reason));
  const commands: unknown[] = [];
  board.onCommand((c) => commands.push(c));
  const send = (seq: number, body: Record<string, unknown>): void =>
    h.write(`${JSON.stringify({ v: 1, seq, ...body })}\n`);
  send(0, { type: "s2", closed: true });
  await timers.advance(0);
  assert.deepEqual(commands, []);
  assert.match(String(toHost[0]?.message), /command "s2" before the hello exchange/);
  send(1, { type: "hello", role: "ev", protocol: 1, host: "raw" });
  await timers.advance(0);
  assert.equal(board.state, "ready");
  send(2, { type: "lock", locked: true });
  await timers.advance(BOARD_HEARTBEAT_LIMIT_MS - 1);
  assert.deepEqual(commands, [{ type: "lock", locked: true }]);
  assert.ok(toHost.some((m) => m.type === "ack" && m.ack === 2));
  assert.deepEqual(lost, []);
  await timers.advance(1);
  assert.deepEqual(lost, ["heartbeat"]);
  assert.equal(board.state, "waiting");
  const n = toHost.length;
  await timers.advance(1000);
  assert.equal(toHost.length, n, "a board without host sends no heartbeats");
  board.close();
});

test("board link: readings that arrive before anyone listens wait for the first listener; a late onLost hears the loss", async () => {
  const s = rawSetup();
  s.say(hello);
  s.say({ type: "cp", state: "B" });
  s.say({ type: "pp", state: "latched" });
  await s.link.ready;
  await s.timers.advance(1);
  const got: string[] = [];
  s.link.onReading((r) => got.push(r.type));
  assert.deepEqual(got, ["cp", "pp"], "the state sent right after the hello is not lost");
  const second: string[] = [];
  s.link.onReading((r) => second.push(r.type));
  s.say({ type: "cp", state: "C" });
  await s.timers.advance(1);
  assert.deepEqual(got, ["cp", "pp", "cp"]);
  assert.deepEqual(second, ["cp"], "kept readings go to the first listener only");
  s.boardSide.close();
  await s.timers.advance(1);
  assert.equal(s.lost.length, 1);
  const late: BoardLost[] = [];
  s.link.onLost((l) => late.push(l));
  await Promise.resolve();
  assert.equal(late.length, 1, "a listener added after the loss still hears it");
});

test("board link: no heartbeat while commands flow; one interval after the last message, the beat resumes", async () => {
  const { timers, link, say, fromHost } = rawSetup();
  say(hello);
  await timers.advance(0);
  await link.ready;
  // 30 ms between commands: the board hears from the host far more often than the heartbeat interval
  const n = fromHost.length;
  for (let t = 0; t < 20; t++) {
    link.send({ type: "duty", duty: 5 });
    say({ type: "heartbeat" });
    await timers.advance(30);
  }
  const during = fromHost.slice(n);
  assert.equal(during.filter((m) => m.type === "duty").length, 20);
  assert.deepEqual(
    during.filter((m) => m.type === "heartbeat").map((m) => m.seq),
    [],
    "no heartbeat while the host sends",
  );
  // silence from the host: a heartbeat within one interval of its last message, then every interval
  const m = fromHost.length;
  for (let t = 0; t < 10; t++) {
    say({ type: "heartbeat" });
    await timers.advance(BOARD_HEARTBEAT_INTERVAL_MS);
  }
  const beats = fromHost.slice(m).filter((x) => x.type === "heartbeat");
  assert.ok(beats.length >= 9 && beats.length <= 11, `${beats.length} heartbeats in 1 s of silence`);
  const gaps = beats.slice(1).map((b, i) => Number(b.seq) - Number(beats[i]?.seq ?? 0));
  assert.ok(
    gaps.every((g) => g === 1),
    "nothing else in between",
  );
  link.close();
});
