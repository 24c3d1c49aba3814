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

/**
 * The splitter as first written, byte by byte: a string chunk is encoded, each line decoded on its own. The
 * splitter's shortcuts (one decode per chunk, strings split as text) must give exactly what this gives.
 */
function referenceSplitter(maxBytes: number, out: string[]) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Uint8Array[] = [];
  let size = 0;
  let skipping = false;
  const tooLong = (n: number) => out.push(`too-long ${n}`);
  const emit = (b: Uint8Array) => {
    const end = b.length > 0 && b[b.length - 1] === 0x0d ? b.length - 1 : b.length;
    if (end === 0) return;
    if (end > maxBytes) return tooLong(end);
    try {
      out.push(`line ${decoder.decode(b.subarray(0, end))}`);
    } catch {
      out.push("bad-utf8");
    }
  };
  const take = (piece: Uint8Array) => {
    const all = new Uint8Array(size + piece.length);
    let at = 0;
    for (const p of [...parts, piece]) {
      all.set(p, at);
      at += p.length;
    }
    parts = [];
    size = 0;
    return all;
  };
  return (chunk: Uint8Array | string) => {
    const b = typeof chunk === "string" ? bytes(chunk) : chunk;
    let start = 0;
    while (start <= b.length) {
      const nl = b.indexOf(0x0a, start);
      const piece = b.subarray(start, nl < 0 ? b.length : nl);
      if (nl < 0) {
        if (skipping || piece.length === 0) return;
        if (size + piece.length > maxBytes + 1) {
          tooLong(size + piece.length);
          parts = [];
          size = 0;
          skipping = true;
          return;
        }
        parts.push(piece.slice());
        size += piece.length;
        return;
      }
      if (skipping) skipping = false;
      else if (size + piece.length > maxBytes + 1) {
        tooLong(size + piece.length);
        parts = [];
        size = 0;
      } else emit(take(piece));
      start = nl + 1;
    }
  };
}

test("line splitter (property): string and byte chunks of anything give what decoding each line alone gives", () => {
  // text rich in what the shortcuts must get right: newlines, CR, byte-order marks, lone surrogates, non-ASCII
  const piece = fc.oneof(
    fc.constantFrom("\n", "\r", "\r\n", "\uFEFF", "\uD800", "\uDC00", "😀", "ü", "€", "{}", "abc"),
    fc.string({ unit: "binary", maxLength: 6 }),
  );
  const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(""));
  const raw = fc.array(
    fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0xef, 0xbb, 0xbf, 0xc3, 0xbc, 0xff, 0x80, 0x41),
      fc.integer({ min: 0, max: 255 }),
    ),
    { maxLength: 24 },
  );
  const chunk = fc.oneof(
    text,
    text.map((t) => bytes(t)),
    raw.map((b) => Uint8Array.from(b)),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 24 }), fc.array(chunk, { maxLength: 10 }), (maxBytes, chunks) => {
      const seen: string[] = [];
      const s = createLineSplitter({
        maxBytes,
        onLine: (l) => seen.push(`line ${l}`),
        onError: (e) =>
          seen.push(e.code === "too-long" ? `too-long ${/\((\d+)\+/.exec(e.message)?.[1]}` : e.code),
      });
      const expected: string[] = [];
      const reference = referenceSplitter(maxBytes, expected);
      for (const c of chunks) {
        s.push(c);
        reference(c);
        assert.deepEqual(seen, expected);
      }
    }),
    { numRuns: 3000 },
  );
});
