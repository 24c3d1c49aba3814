import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type BoardInterlock,
  INTERLOCK_IDLE,
  type InterlockCause,
  type InterlockState,
  interlockCommand,
  noteInterlockCommand,
  stepInterlock,
} from "./interlock.js";
import type { AnyBoardBody } from "./messages.js";

const cfg = { output: "dc" as const, maxVoltageV: 935, maxCurrentA: 220 };

const run = (readings: AnyBoardBody[]): (InterlockCause | null)[] => {
  let s = INTERLOCK_IDLE;
  return readings.map((r) => {
    const [next, cause] = stepInterlock(cfg, s, r);
    s = next;
    return cause;
  });
};

test("interlock: emergency stop pressed ⇒ off; released ⇒ nothing", () => {
  assert.deepEqual(
    run([
      { type: "emergency-stop", pressed: true },
      { type: "emergency-stop", pressed: false },
      { type: "emergency-stop", pressed: true },
    ]),
    ["emergency-stop", null, "emergency-stop"],
  );
  assert.deepEqual(interlockCommand("dc"), { type: "module", op: "off", emergency: true });
  assert.deepEqual(interlockCommand("ac"), { type: "contactors", closed: false });
});

test("interlock: a backstop acts once per excursion; absent fields keep the last verdict", () => {
  assert.deepEqual(
    run([
      { type: "measure", voltageV: 800, currentA: 200 },
      { type: "measure", voltageV: 940 },
      { type: "measure", currentA: 100 }, // voltage not measured: still over, no second off
      { type: "measure", voltageV: 950 },
      { type: "measure", voltageV: 900 },
      { type: "measure", voltageV: 936 },
      { type: "measure", currentA: -230 }, // discharge counts by magnitude
      { type: "measure", currentA: 230 },
    ]),
    [null, "over-voltage", null, null, null, "over-voltage", "over-current", null],
  );
});

test("interlock property: within the limits, no reading ever switches the output off", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          type: fc.constant("measure" as const),
          voltageV: fc.double({ min: 0, max: 935, noNaN: true }),
          currentA: fc.double({ min: -220, max: 220, noNaN: true }),
        }),
      ),
      (rs) => run(rs).every((c) => c === null),
    ),
  );
});

test("interlock property: every rise above a limit switches off exactly once", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { maxLength: 50 }), (vs) => {
      const causes = run(vs.map((v) => ({ type: "measure", voltageV: v })));
      let rises = 0;
      let over = false;
      for (const v of vs) {
        if (v > cfg.maxVoltageV && !over) rises++;
        over = v > cfg.maxVoltageV;
      }
      return causes.filter((c) => c === "over-voltage").length === rises;
    }),
  );
});

// ---- the live-only causes: the connector unlatched, the pilot out of B/C/D, an isolation fault ----

type Step = { read: AnyBoardBody } | { write: AnyBoardBody };
const ON: Step = { write: { type: "module", op: "set", voltageV: 400, currentA: 2 } };
const OFF: Step = { write: { type: "module", op: "off", emergency: false } };
const read = (r: AnyBoardBody): Step => ({ read: r });

/** The causes of `steps` (a command step gives null); the interlock's own off is written when it acts. */
const drive = (c: BoardInterlock, steps: Step[]): (InterlockCause | null)[] => {
  let s = INTERLOCK_IDLE;
  return steps.map((x) => {
    if ("write" in x) {
      s = noteInterlockCommand(s, x.write);
      return null;
    }
    const [next, cause] = stepInterlock(c, s, x.read);
    s = cause ? noteInterlockCommand(next, interlockCommand(c.output)) : next;
    return cause;
  });
};

test("interlock: the output is live from the last module / contactors command written", () => {
  const live = (cmds: AnyBoardBody[]) =>
    cmds.reduce<InterlockState>(noteInterlockCommand, INTERLOCK_IDLE).live;
  assert.equal(live([]), false);
  assert.equal(live([{ type: "module", op: "set", voltageV: 400, currentA: 2 }]), true);
  assert.equal(live([{ type: "contactors", closed: true }]), true);
  assert.equal(
    live([
      { type: "contactors", closed: true },
      { type: "duty", duty: 5 },
    ]),
    true,
  );
  assert.equal(
    live([
      { type: "contactors", closed: true },
      { type: "module", op: "off", emergency: false },
    ]),
    false,
  );
  assert.equal(
    live([
      { type: "module", op: "set", voltageV: 400, currentA: 2 },
      { type: "contactors", closed: false },
    ]),
    false,
  );
  assert.equal(live([interlockCommand("dc")]), false);
  assert.equal(live([{ type: "contactors", closed: true }, interlockCommand("ac")]), false);
});

test("interlock: PP not latched while live ⇒ off, once per excursion; not with the output off", () => {
  assert.deepEqual(
    drive(cfg, [
      read({ type: "pp", state: "latched" }),
      ON,
      read({ type: "pp", state: "unlatched" }), // acts; its own off makes the output off
      read({ type: "pp", state: "unplugged" }),
      read({ type: "pp", state: "latched" }),
      ON,
      read({ type: "pp", state: "fault" }),
      ON, // switched on again during the same excursion: no second off
      read({ type: "pp", state: "unlatched" }),
      read({ type: "pp", state: "latched" }),
      read({ type: "pp", state: "unlatched" }), // a new excursion, still live
      read({ type: "pp", state: "latched" }),
      ON,
      OFF, // the session ends
      read({ type: "pp", state: "unlatched" }),
      read({ type: "pp", state: "unplugged" }), // a normal unplug after the session
    ]),
    [
      ...[null, null, "unlatched", null, null, null, "unlatched", null, null, null, "unlatched"],
      ...[null, null, null, null, null],
    ],
  );
});

test("interlock: pilot A, E, F or a CP fault while live ⇒ off, once per excursion (back at B/C/D)", () => {
  const ac = { output: "ac" as const };
  const RELAY: Step = { write: { type: "contactors", closed: true } };
  const OPEN: Step = { write: { type: "contactors", closed: false } };
  assert.deepEqual(
    drive(ac, [
      read({ type: "cp", state: "A" }), // nothing plugged, nothing live
      read({ type: "cp", state: "C" }),
      RELAY,
      read({ type: "cp", state: "D" }),
      read({ type: "cp", state: "F" }),
      read({ type: "cp", state: "E" }),
      read({ type: "cp", state: "C" }),
      RELAY,
      read({ type: "cp", state: "E" }),
      read({ type: "cp", state: "C" }),
      RELAY,
      read({ type: "cp-fault", fault: "diode-fault" }),
      read({ type: "cp", state: "B" }),
      RELAY,
      read({ type: "cp", state: "B" }), // the EV's S2 open: not a pilot fault
      OPEN,
      read({ type: "cp", state: "A" }), // unplugged after the session
    ]),
    [
      null,
      null,
      null,
      null,
      "pilot",
      null,
      null,
      null,
      "pilot",
      null,
      null,
      "pilot",
      null,
      null,
      null,
      null,
      null,
    ],
  );
});

test("interlock: isolation Fault while live ⇒ off, once per excursion; a measure without it keeps the verdict", () => {
  const iso = (level: "Valid" | "Warning" | "Fault"): Step =>
    read({ type: "measure", isolation: { state: "done", level } });
  assert.deepEqual(
    drive(cfg, [
      iso("Fault"), // a leftover fault with the output off
      ON,
      iso("Valid"),
      iso("Warning"),
      iso("Fault"),
      ON, // switched on again during the same excursion: no second off
      read({ type: "measure", voltageV: 400 }),
      iso("Fault"),
      iso("Valid"),
      iso("Fault"), // a new excursion, still live
      ON,
      iso("Fault"),
    ]),
    [null, null, null, null, "isolation", null, null, null, null, "isolation", null, null],
  );
});

test("interlock: the emergency stop acts whatever the output's state; the backstops as before", () => {
  assert.deepEqual(
    drive(cfg, [
      read({ type: "emergency-stop", pressed: true }),
      ON,
      read({ type: "emergency-stop", pressed: true }),
      read({ type: "measure", voltageV: 940 }),
    ]),
    ["emergency-stop", null, "emergency-stop", "over-voltage"],
  );
});

const arbReading: fc.Arbitrary<AnyBoardBody> = fc.oneof(
  fc.record({ type: fc.constant("cp" as const), state: fc.constantFrom("A", "B", "C", "D", "E", "F") }),
  fc.record({
    type: fc.constant("cp-fault" as const),
    fault: fc.constantFrom("diode-fault", "cp-short", "pilot-fault"),
  }),
  fc.record({
    type: fc.constant("pp" as const),
    state: fc.constantFrom("unplugged", "unlatched", "latched", "fault"),
  }),
  fc.record(
    {
      type: fc.constant("measure" as const),
      voltageV: fc.double({ min: 0, max: 1500, noNaN: true }),
      currentA: fc.double({ min: -400, max: 400, noNaN: true }),
      isolation: fc.record({
        state: fc.constantFrom("idle", "running", "done"),
        level: fc.constantFrom("Invalid", "Valid", "Warning", "Fault", "No_IMD"),
      }),
    },
    { requiredKeys: ["type"] },
  ),
  fc.record({ type: fc.constant("emergency-stop" as const), pressed: fc.boolean() }),
  fc.record({ type: fc.constant("diode" as const), verified: fc.boolean() }),
);
const arbCommand: fc.Arbitrary<AnyBoardBody> = fc.oneof(
  fc.record({
    type: fc.constant("module" as const),
    op: fc.constant("set" as const),
    voltageV: fc.constant(400),
    currentA: fc.constant(10),
  }),
  fc.record({
    type: fc.constant("module" as const),
    op: fc.constant("off" as const),
    emergency: fc.boolean(),
  }),
  fc.record({ type: fc.constant("contactors" as const), closed: fc.boolean() }),
  fc.record({ type: fc.constant("duty" as const), duty: fc.constantFrom(0, 5, 100) }),
  fc.record({ type: fc.constant("isolation" as const), op: fc.constant("stop" as const) }),
);
const arbSteps = fc.array(
  fc.oneof(
    arbReading.map((r): Step => ({ read: r })),
    arbCommand.map((c): Step => ({ write: c })),
  ),
  { maxLength: 60 },
);
const switchesOn = (c: AnyBoardBody): boolean =>
  (c.type === "module" && c.op === "set") || (c.type === "contactors" && c.closed);

test("interlock property: with the output never switched on, only the emergency stop acts", () => {
  fc.assert(
    fc.property(arbSteps, (steps) => {
      const never = steps.filter((x) => !("write" in x) || !switchesOn(x.write));
      // no backstop limits: the backstops act on measurements whatever the output (as before)
      return drive({ output: "dc" }, never).every((c) => c === null || c === "emergency-stop");
    }),
  );
});

test("interlock property: a cause acted on is recorded: the same reading again does not give it again", () => {
  fc.assert(
    fc.property(arbSteps, fc.constantFrom<BoardInterlock>(cfg, { output: "ac" }), (steps, c) => {
      let s = INTERLOCK_IDLE;
      for (const x of steps) {
        if ("write" in x) {
          s = noteInterlockCommand(s, x.write);
          continue;
        }
        const [next, cause] = stepInterlock(c, s, x.read);
        if (cause && cause !== "emergency-stop") {
          // with or without the interlock's own off written, and with the output switched on again
          if (stepInterlock(c, next, x.read)[1] !== null) return false;
          if (stepInterlock(c, noteInterlockCommand(next, interlockCommand(c.output)), x.read)[1] !== null)
            return false;
          // switched on again, a live-only cause the reading carried while the output was off acts now (an
          // isolation Fault read with the output off, then the output on); the recorded cause never again
          const [, again] = stepInterlock(
            c,
            noteInterlockCommand(next, { type: "contactors", closed: true }),
            x.read,
          );
          if (again === cause) return false;
          if (again !== null && !(["unlatched", "pilot", "isolation"].includes(again) && !next.live))
            return false;
        }
        s = next;
      }
      return true;
    }),
    // a CI run found it: over-current and an isolation Fault in one reading with the output off
    {
      examples: [
        [
          [
            {
              read: {
                type: "measure",
                currentA: -220.00000000000003,
                isolation: { state: "idle", level: "Fault" },
              },
            },
          ],
          { output: "dc", maxVoltageV: 935, maxCurrentA: 220 },
        ],
      ],
    },
  );
});
