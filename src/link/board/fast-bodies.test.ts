import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fastReading } from "./fast-bodies.js";
import {
  type BoardRole,
  type BoardSender,
  boardBodySchemas,
  boardReadingSchemas,
  envelopeSchema,
  parseBoardLine,
} from "./protocol.js";

/** What the schemas alone say of a line's object: ok and the message, or not ok. */
function bySchema(obj: Record<string, unknown>, role: BoardRole, from: BoardSender) {
  const env = envelopeSchema.safeParse(obj);
  if (!env.success) return { ok: false } as const;
  const body = boardBodySchemas[role][from].safeParse(obj);
  if (!body.success) return { ok: false } as const;
  return { ok: true, message: { v: 1, seq: env.data.seq, ...body.data } } as const;
}

const num = fc.oneof(
  fc.double({ min: -2000, max: 2000, noNaN: true }),
  fc.constantFrom(0, -0, 100, 100.0001, -1e-9, 1e308, 4294967295, 4294967296, 1.5),
);
/** A value for any field: mostly plausible, sometimes of the wrong kind. */
const anyValue = fc.oneof(
  { weight: 6, arbitrary: num },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom("x", "", "Valid", "idle", null, [], {}) },
);
const isolation = fc.record(
  {
    state: fc.oneof(fc.constantFrom("idle", "running", "done", "Idle", ""), anyValue),
    level: fc.oneof(fc.constantFrom("Invalid", "Valid", "Warning", "Fault", "No_IMD", "fault"), anyValue),
    resistanceOhm: anyValue,
    extra: anyValue,
  },
  { requiredKeys: [] },
);
const message = fc.record(
  {
    v: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: anyValue }),
    seq: fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), num, anyValue),
    type: fc.constantFrom("heartbeat", "inlet", "bms", "measure", "hello", "cp", "duty", "module", ""),
    voltageV: anyValue,
    currentA: anyValue,
    acPresent: fc.oneof(fc.boolean(), anyValue),
    socPercent: anyValue,
    batteryVoltageV: anyValue,
    energyWh: anyValue,
    isolation: fc.oneof(isolation, anyValue),
    contactorsClosed: fc.oneof(fc.boolean(), anyValue),
    unknownField: anyValue,
  },
  { requiredKeys: ["type"] },
);

test("property: parseBoardLine (with its hand-written checks of the frequent readings) accepts exactly what the schemas accept, with the same message", () => {
  const links: [BoardRole, BoardSender][] = [
    ["ev", "board"],
    ["evse", "board"],
    ["ev", "host"],
    ["evse", "host"],
  ];
  fc.assert(
    fc.property(message, fc.constantFrom(...links), (obj, [role, from]) => {
      const line = JSON.stringify(obj);
      // what the line reads back as (JSON turns -0 into 0, drops nothing else here)
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const want = bySchema(parsed, role, from);
      const got = parseBoardLine(line, { role, from });
      assert.equal(got.ok, want.ok, `${role}/${from} ${line}: ${got.ok ? "accepted" : got.error.message}`);
      if (got.ok && want.ok) assert.deepEqual(got.message, want.message);
    }),
    { numRuns: 20_000 },
  );
});

test("the frequent readings still refuse bad fields naming the field and the rule", () => {
  const r = parseBoardLine('{"v":1,"seq":3,"type":"bms","socPercent":101,"batteryVoltageV":400}', {
    role: "ev",
    from: "board",
  });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error.message, /socPercent/);
  const m = parseBoardLine('{"v":1,"seq":3,"type":"measure","isolation":{"state":"idle","level":"bad"}}', {
    role: "evse",
    from: "board",
  });
  assert.equal(m.ok, false);
  if (!m.ok) assert.match(m.error.message, /isolation\.level/);
  const wrongSide = parseBoardLine(
    '{"v":1,"seq":3,"type":"inlet","voltageV":1,"currentA":0,"acPresent":false}',
    {
      role: "evse",
      from: "board",
    },
  );
  assert.equal(wrongSide.ok, false, "inlet is an EV board reading");
});

/** A value a program may put in a reading it sends: what JSON cannot carry too (NaN, ±∞, −0, undefined). */
const jsValue = fc.oneof(
  { weight: 4, arbitrary: anyValue },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -Infinity, -0, undefined) },
);
const reading = fc.record(
  {
    type: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom("inlet", "bms", "measure") },
      { weight: 1, arbitrary: fc.constantFrom("heartbeat", "hello", "duty", "pp", "error", "module") },
    ),
    voltageV: jsValue,
    currentA: jsValue,
    acPresent: fc.oneof(fc.boolean(), jsValue),
    socPercent: jsValue,
    batteryVoltageV: jsValue,
    energyWh: jsValue,
    isolation: fc.oneof(
      fc.record(
        {
          state: fc.constantFrom("idle", "running", "done", "x"),
          level: fc.constantFrom("Valid", "Fault", "x"),
          resistanceOhm: fc.oneof(fc.constant(undefined), jsValue),
        },
        { requiredKeys: ["state", "level"] },
      ),
      jsValue,
    ),
    contactorsClosed: fc.oneof(fc.boolean(), jsValue),
    unknownField: jsValue,
  },
  { requiredKeys: ["type"] },
);

test("property: a board's reading to send, checked by hand, is what its schema makes of it (or left to the schema)", () => {
  fc.assert(
    fc.property(reading, fc.constantFrom<BoardRole>("ev", "evse"), (r, role) => {
      const fast = fastReading(role, r);
      if (fast === undefined) return;
      const schema = boardReadingSchemas[role].safeParse(r);
      assert.ok(schema.success, `${role}: hand check accepted what the schema refuses: ${String(r.type)}`);
      assert.deepStrictEqual(fast, schema.data);
    }),
    { numRuns: 20_000 },
  );
});
