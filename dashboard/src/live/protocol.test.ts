import assert from "node:assert/strict";
import { test } from "node:test";
import { controlWords, parseServerFrame } from "./protocol.js";

test("live protocol: server frames of the contract", () => {
  assert.deepEqual(
    parseServerFrame(
      '{"kind":"hello","command":"simulate","live":true,"roles":["evse","ev","x"],"commands":{"evse":"commands: a","ev":"commands: b"}}',
    ),
    {
      kind: "hello",
      command: "simulate",
      live: true,
      roles: ["evse", "ev"],
      commands: { evse: "commands: a", ev: "commands: b" },
      scenarios: false,
    },
  );
  // a host that runs scenario files says so (an older host says nothing: false)
  const h = parseServerFrame('{"kind":"hello","command":"simulate","live":true,"roles":[],"scenarios":true}');
  assert.equal(h.kind === "hello" && h.scenarios, true);
  assert.deepEqual(parseServerFrame('{"kind":"events","events":[{"t":1,"type":"cp","state":"B"}]}'), {
    kind: "events",
    events: [{ t: 1, type: "cp", state: "B" }],
  });
  assert.deepEqual(parseServerFrame('{"kind":"end"}'), { kind: "end" });
  assert.deepEqual(parseServerFrame('{"kind":"control-result","id":3,"ok":false,"error":"no"}'), {
    kind: "control-result",
    id: 3,
    ok: false,
    error: "no",
  });
});

test("live protocol: bad frames are reported with the field and the rule", () => {
  assert.match((parseServerFrame("{") as { error: string }).error, /^frame: not JSON/);
  assert.match(
    (parseServerFrame('{"kind":"events","events":{}}') as { error: string }).error,
    /field events must be an array/,
  );
  assert.match(
    (parseServerFrame('{"kind":"events","events":[{"t":"1","type":"cp"}]}') as { error: string }).error,
    /every event needs a number t/,
  );
  assert.match((parseServerFrame('{"kind":"bogus"}') as { error: string }).error, /field kind "bogus"/);
  assert.match((parseServerFrame('{"kind":"control-result"}') as { error: string }).error, /field id/);
});

test("live protocol: control words from the help text", () => {
  assert.deepEqual(
    controlWords(
      "commands: emergency_stop, emergency_release (reset), evse_stop (stop_charging), evse_pause, unplug, fault NAME",
    ),
    ["emergency_stop", "emergency_release", "evse_stop", "evse_pause", "unplug", "fault"],
  );
  assert.deepEqual(controlWords(undefined), []);
});
