import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseRecordText, RecordParseError } from "./record-parse.js";

const fails = (text: string, code: string, re: RegExp) =>
  assert.throws(
    () => parseRecordText(text),
    (e: unknown) => e instanceof RecordParseError && e.code === code && re.test(e.message),
  );

test("record parse: events with t and type, blank lines and CRLF accepted", () => {
  const ev = parseRecordText('{"t":0,"type":"start"}\r\n\n{"t":1.5,"type":"sample","v":400}\n');
  assert.deepEqual(ev, [
    { t: 0, type: "start" },
    { t: 1.5, type: "sample", v: 400 },
  ]);
});

test("record parse: errors name the line, the field and the rule", () => {
  fails('{"t":0,"type":"start"}\n{"t":1,"type":"cp",', "bad-json", /^record line 2: not JSON/);
  fails('{"t":0,"type":"start"}\n\n[1,2]', "not-object", /^record line 3: an event must be a JSON object/);
  fails('{"t":"0","type":"start"}', "bad-field", /^record line 1: field t: must be a finite number/);
  fails('{"t":0}', "bad-field", /^record line 1: field type: must be a non-empty string/);
  fails(
    '{"t":2,"type":"a"}\n{"t":1,"type":"b"}',
    "time-backwards",
    /^record line 2: field t: 1 is before .* 2/,
  );
  fails("\n  \n", "empty", /no events/);
  const e = (() => {
    try {
      parseRecordText("{x");
    } catch (err) {
      return err as RecordParseError;
    }
  })();
  assert.ok(e?.cause instanceof SyntaxError);
});

test("record parse: any record of valid events reads back as written (property)", () => {
  const event = fc.record({
    t: fc.double({ min: 0, max: 1e6, noNaN: true }),
    type: fc.constantFrom("sample", "msg", "phase", "log"),
    note: fc.string(),
  });
  fc.assert(
    fc.property(fc.array(event, { minLength: 1, maxLength: 30 }), (evs) => {
      const sorted = [...evs].sort((a, b) => a.t - b.t);
      const text = sorted.map((e) => JSON.stringify(e)).join("\n");
      assert.deepEqual(
        parseRecordText(text),
        JSON.parse(`[${sorted.map((e) => JSON.stringify(e)).join(",")}]`),
      );
    }),
  );
});
