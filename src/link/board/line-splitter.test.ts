import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { BoardError } from "./errors.js";
import { createLineSplitter } from "./line-splitter.js";

function splitter(maxBytes?: number) {
  const lines: string[] = [];
  const errors: BoardError[] = [];
  const s = createLineSplitter({ maxBytes, onLine: (l) => lines.push(l), onError: (e) => errors.push(e) });
  return { s, lines, errors };
}
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

test("line splitter: lines over chunk boundaries, CRLF, empty lines skipped, string and byte chunks", () => {
  const { s, lines, errors } = splitter();
  s.push('{"a":1}\n{"b"');
  s.push(bytes(':2}\r\n\n\r\n{"c":3}'));
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
  assert.equal(s.buffered, 7);
  s.push("\n");
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
  assert.equal(s.buffered, 0);
  assert.deepEqual(errors, []);
});

test("line splitter: a multi-byte UTF-8 character split across chunks decodes; invalid UTF-8 is dropped", () => {
  const { s, lines, errors } = splitter();
  const b = bytes("ü€😀\n");
  for (const x of b) s.push(Uint8Array.of(x));
  s.push(Uint8Array.of(0x41, 0xff, 0x42, 0x0a, 0x43, 0x0a));
  assert.deepEqual(lines, ["ü€😀", "C"]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.code, "bad-utf8");
});

test("line splitter: an over-long line is reported once, never buffered beyond the limit, and the next line works", () => {
  const { s, lines, errors } = splitter(16);
  s.push("0123456789");
  s.push("0123456789");
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.code, "too-long");
  assert.match(errors[0]?.message ?? "", /more than 16 bytes/);
  for (let i = 0; i < 1000; i++) s.push("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  assert.equal(s.buffered, 0);
  assert.equal(errors.length, 1);
  s.push('tail\n{"ok":1}\n');
  assert.deepEqual(lines, ['{"ok":1}']);
  // Exactly at the limit is fine (also with a CR), one byte more is not.
  s.push(`${"a".repeat(16)}\r\n${"b".repeat(16)}\n${"c".repeat(17)}\n`);
  assert.deepEqual(lines.slice(1), ["a".repeat(16), "b".repeat(16)]);
  assert.equal(errors.length, 2);
  // Over-long line that ends within one chunk.
  s.push(`${"d".repeat(40)}\nok\n`);
  assert.equal(errors.length, 3);
  assert.equal(lines.at(-1), "ok");
});

test("line splitter (property): any chunking of any lines gives the same lines", () => {
  const line = fc.string({ unit: "grapheme", maxLength: 40 }).map((l) => l.replace(/[\r\n]/g, ""));
  fc.assert(
    fc.property(fc.array(line, { maxLength: 20 }), fc.array(fc.nat(50), { maxLength: 30 }), (ls, cuts) => {
      const all = bytes(ls.map((l) => `${l}\n`).join(""));
      const { s, lines, errors } = splitter(1000);
      let at = 0;
      for (const c of cuts) {
        s.push(all.subarray(at, Math.min(all.length, at + c)));
        at = Math.min(all.length, at + c);
      }
      s.push(all.subarray(at));
      assert.deepEqual(errors, []);
      assert.deepEqual(
        lines,
        ls.filter((l) => l !== ""),
      );
    }),
    { numRuns: 300 },
  );
});
