import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { BoardError } from "./errors.js";
import {
  type AnyBoardBody,
  BOARD_MAX_LINE_BYTES,
  BOARD_MESSAGE_TYPES,
  BOARD_SEQ_MODULUS,
  type BoardHello,
  type BoardRole,
  type BoardSender,
  createSeqTracker,
  encodeBoardBody,
  encodeBoardMessage,
  type HostHello,
  nextBoardSeq,
  parseBoardLine,
} from "./protocol.js";

const hostHello: HostHello = { type: "hello", role: "evse", protocol: 1, host: "nacs 0.1.0" };
const boardHello: BoardHello = {
  type: "hello",
  role: "evse",
  protocol: 1,
  board: "cp-board r2",
  capabilities: ["imd"],
};
const control: Record<BoardSender, AnyBoardBody[]> = {
  host: [hostHello, { type: "heartbeat" }, { type: "bye" }],
  board: [
    boardHello,
    { type: "heartbeat" },
    { type: "ack", ack: 4294967295 },
    { type: "error", message: "adc" },
  ],
};

/** At least one sample of every message type per role and sender. */
const SAMPLES: Record<BoardRole, Record<BoardSender, readonly AnyBoardBody[]>> = {
  evse: {
    host: [
      ...control.host,
      { type: "duty", duty: 100 },
      { type: "duty", duty: 53.3 },
      { type: "module", op: "set", voltageV: 400, currentA: 125.5 },
      // ISO 15118-20 DC_BPT: a discharge set point
      { type: "module", op: "set", voltageV: 400, currentA: -80 },
      { type: "module", op: "off", emergency: true },
      { type: "contactors", closed: true },
      { type: "isolation", op: "start", voltageV: 500 },
      { type: "isolation", op: "stop" },
    ],
    board: [
      ...control.board,
      { type: "cp", state: "C" },
      { type: "cp-fault", fault: "diode-fault" },
      { type: "diode", verified: true },
      { type: "pp", state: "latched" },
      { type: "measure", voltageV: 399.5, currentA: -0.2 },
      {
        type: "measure",
        voltageV: 0,
        currentA: 0,
        energyWh: 12.5,
        isolation: { state: "done", level: "Valid", resistanceOhm: 1e6 },
        contactorsClosed: false,
      },
      { type: "emergency-stop", pressed: true },
    ],
  },
  ev: {
    host: [
      { ...hostHello, role: "ev" },
      ...control.host.slice(1),
      { type: "s2", closed: true },
      { type: "charger", currentA: 32 },
      // ISO 15118-20 AC_BPT: the on-board charger feeds 16 A back
      { type: "charger", currentA: -16 },
      { type: "contactors", closed: false },
      { type: "lock", locked: true },
      // a test rig: the handle's release button (PP unlatched)
      { type: "button", pressed: true },
    ],
    board: [
      { ...boardHello, role: "ev" },
      ...control.board.slice(1),
      { type: "duty", duty: 5 },
      { type: "pp", state: "unlatched" },
      { type: "lock", locked: false },
      { type: "inlet", voltageV: 401, currentA: 99.9, acPresent: false },
      { type: "bms", socPercent: 42, batteryVoltageV: 390 },
    ],
  },
};

const CASES = (["evse", "ev"] as const).flatMap((role) =>
  (["host", "board"] as const).map((from) => ({ role, from })),
);

test("board protocol: every sample round-trips through encode → parse, one line, v and seq first", () => {
  for (const { role, from } of CASES) {
    for (const [i, body] of SAMPLES[role][from].entries()) {
      const line = encodeBoardMessage({ v: 1, seq: i, ...body });
      assert.equal(encodeBoardBody(i, body), line, "a body encodes as the message it makes");
      assert.ok(line.endsWith("\n") && !line.slice(0, -1).includes("\n"));
      assert.ok(line.startsWith(`{"v":1,"seq":${i},"type":`), line);
      const r = parseBoardLine(line.slice(0, -1), { role, from });
      assert.ok(r.ok, `${role}/${from} ${line}: ${r.ok ? "" : r.error.message}`);
      assert.deepEqual(r.message, { v: 1, seq: i, ...body });
    }
  }
});

test("board protocol: the type lists match the schemas (every listed type has a parsing sample)", () => {
  for (const { role, from } of CASES) {
    const sampled = new Set(SAMPLES[role][from].map((b) => b.type));
    assert.deepEqual([...sampled].sort(), [...BOARD_MESSAGE_TYPES[role][from]].sort(), `${role}/${from}`);
  }
});

test("board protocol: unknown extra fields are ignored (versioning rule)", () => {
  const r = parseBoardLine('{"v":1,"seq":3,"type":"cp","state":"B","adcMv":2712}', {
    role: "evse",
    from: "board",
  });
  assert.ok(r.ok);
  assert.deepEqual(r.message, { v: 1, seq: 3, type: "cp", state: "B" });
});

const BAD: [line: string, role: BoardRole, from: BoardSender, code: BoardError["code"], message: RegExp][] = [
  ["{not json", "evse", "board", "bad-json", /not JSON/],
  ["[1,2]", "evse", "board", "bad-message", /expected a JSON object, got an array/],
  ["42", "evse", "board", "bad-message", /got a number/],
  [
    '{"seq":1,"type":"cp","state":"A"}',
    "evse",
    "board",
    "bad-message",
    /field "v": Invalid input: expected 1/,
  ],
  ['{"v":1,"seq":-1,"type":"heartbeat"}', "evse", "board", "bad-message", /field "seq": Too small/],
  ['{"v":1,"seq":1.5,"type":"heartbeat"}', "evse", "board", "bad-message", /field "seq".*int/i],
  ['{"v":1,"seq":1}', "evse", "board", "bad-message", /field "type"/],
  [
    '{"v":1,"seq":1,"type":"cp","state":"G"}',
    "evse",
    "board",
    "bad-message",
    /"cp" field "state": Invalid option/,
  ],
  [
    '{"v":1,"seq":1,"type":"duty","duty":101}',
    "evse",
    "host",
    "bad-message",
    /"duty" field "duty": Too big.*100/,
  ],
  [
    '{"v":1,"seq":1,"type":"duty","duty":"50"}',
    "evse",
    "host",
    "bad-message",
    /expected number, received string/,
  ],
  [
    '{"v":1,"seq":1,"type":"module","op":"set","voltageV":400}',
    "evse",
    "host",
    "bad-message",
    /field "currentA"/,
  ],
  ['{"v":1,"seq":1,"type":"module","op":"boost"}', "evse", "host", "bad-message", /field "op"/],
  [
    '{"v":1,"seq":1,"type":"measure","isolation":{"state":"done","level":"ok"}}',
    "evse",
    "board",
    "bad-message",
    /field "isolation.level": Invalid option/,
  ],
  ['{"v":1,"seq":1,"type":"bms","socPercent":50}', "ev", "board", "bad-message", /field "batteryVoltageV"/],
  [
    '{"v":1,"seq":1,"type":"warp"}',
    "evse",
    "board",
    "unknown-type",
    /unknown type "warp"; expected one of hello/,
  ],
  [
    '{"v":1,"seq":1,"type":"duty","duty":5}',
    "evse",
    "board",
    "unknown-type",
    /sent by the host, not the board/,
  ],
  ['{"v":1,"seq":1,"type":"s2","closed":true}', "evse", "host", "unknown-type", /unknown type "s2"/],
  [
    '{"v":2,"seq":0,"type":"hello","role":"evse","protocol":2,"board":"x"}',
    "evse",
    "board",
    "protocol-mismatch",
    /protocol 2/,
  ],
  ['{"v":1,"seq":0,"type":"hello","role":"ev","protocol":1}', "ev", "board", "bad-message", /field "board"/],
  [`{"v":1,"seq":0,"type":"error","message":"${"x".repeat(600)}"}`, "ev", "board", "bad-message", /Too big/],
  [`{"v":1,"seq":0,"type":"heartbeat","pad":"${"é".repeat(2100)}"}`, "ev", "board", "too-long", /4096-byte/],
];

test("board protocol: bad lines give a named error with the field and the rule, never a throw", () => {
  for (const [line, role, from, code, message] of BAD) {
    const r = parseBoardLine(line, { role, from });
    assert.ok(!r.ok, `accepted: ${line}`);
    assert.ok(r.error instanceof BoardError);
    assert.equal(r.error.code, code, `${line} → ${r.error.message}`);
    assert.match(r.error.message, message, line);
    assert.match(r.error.message, from === "board" ? /^board → host/ : /^host → board/);
  }
});

test("board protocol: encode refuses a message over the line limit", () => {
  assert.throws(
    () => encodeBoardMessage({ v: 1, seq: 0, type: "error", message: "x".repeat(BOARD_MAX_LINE_BYTES) }),
    (e: unknown) => e instanceof BoardError && e.code === "too-long",
  );
  assert.throws(
    () => encodeBoardBody(0, { type: "error", message: "€".repeat(BOARD_MAX_LINE_BYTES / 3) }),
    (e: unknown) => e instanceof BoardError && e.code === "too-long" && /"error": \d+ bytes/.test(e.message),
  );
});

test("board protocol (property): random strings and JSON values never throw; they parse or give a BoardError", () => {
  const anyCase = fc.constantFrom(...CASES);
  const check = (line: string, c: { role: BoardRole; from: BoardSender }): void => {
    const r = parseBoardLine(line, c);
    if (r.ok) assert.equal(typeof r.message.type, "string");
    else assert.ok(r.error instanceof BoardError && r.error.message.length > 0);
  };
  fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), anyCase, check), { numRuns: 500 });
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 3 }), anyCase, (v, c) => check(JSON.stringify(v), c)),
    { numRuns: 500 },
  );
  // Envelopes with random bodies, and samples with one field replaced by a random value.
  const sample = fc.constantFrom(...CASES.flatMap((c) => SAMPLES[c.role][c.from].map((b) => ({ c, b }))));
  fc.assert(
    fc.property(sample, fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), ({ c, b }, key, val) => {
      const obj: Record<string, unknown> = { v: 1, seq: 7, ...b };
      const keys = Object.keys(obj);
      obj[keys.includes(key) ? key : (keys[key.length % keys.length] ?? "type")] = val;
      let line: string;
      try {
        line = JSON.stringify(obj) ?? "null";
      } catch {
        return; // BigInt and the like cannot be on the wire
      }
      check(line, c);
    }),
    { numRuns: 1000 },
  );
});

test("board seq: in order, gap, repeat, step back, wrap at 2^32, reset", () => {
  const t = createSeqTracker();
  assert.deepEqual(t.check(5), { kind: "ok" });
  assert.deepEqual(t.check(6), { kind: "ok" });
  assert.deepEqual(t.check(9), { kind: "gap", expected: 7, got: 9, missed: 2 });
  assert.deepEqual(t.check(9), { kind: "repeat", expected: 10, got: 9 });
  assert.deepEqual(t.check(3), { kind: "repeat", expected: 10, got: 3 });
  assert.deepEqual(t.check(4), { kind: "ok" });
  const max = BOARD_SEQ_MODULUS - 1;
  t.reset();
  assert.deepEqual(t.check(max), { kind: "ok" });
  assert.equal(nextBoardSeq(max), 0);
  assert.deepEqual(t.check(0), { kind: "ok" });
  t.reset();
  assert.deepEqual(t.check(100), { kind: "ok" });
});

test("board protocol: the example transcript in docs/board-protocol.md parses (but for the deliberate bogus line)", () => {
  const doc = readFileSync(new URL("../../../docs/board-protocol.md", import.meta.url), "utf8");
  const lines = doc.split("\n").filter((l) => /^(H→B|B→H) \{/.test(l));
  assert.ok(lines.length >= 10);
  for (const l of lines) {
    const from = l.startsWith("H→B") ? "host" : "board";
    const r = parseBoardLine(l.slice(4), { role: "evse", from });
    if (l.includes('"bogus"')) assert.ok(!r.ok && r.error.code === "unknown-type");
    else assert.ok(r.ok, `${l}: ${r.ok ? "" : r.error.message}`);
  }
});
