import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { BoardError } from "./errors.js";
import { type BoardMux, createBoardMux, formatChannelRanges, parseChannelRanges } from "./mux.js";
import type { BoardStream, BoardStreamEnd } from "./stream.js";

const turn = () => new Promise<void>((r) => setImmediate(r));

/**
 * Two mux ends joined in memory: what one sends, the other receives (split into `cut`-byte pieces when
 * given); the server end accepts every channel. Counts the writes on each side.
 */
function pair(cut?: (text: string) => string[]) {
  const opened = new Map<number, BoardStream>();
  const errors: BoardError[] = [];
  const writes = { client: 0, server: 0 };
  let client!: BoardMux;
  let server!: BoardMux;
  const deliver = (to: () => BoardMux, text: string) => {
    for (const piece of cut ? cut(text) : [text]) queueMicrotask(() => to().receive(piece));
  };
  client = createBoardMux({
    send: (t) => {
      writes.client++;
      deliver(() => server, t);
    },
    schedule: (f) => setImmediate(f),
    onError: (e) => errors.push(e),
  });
  server = createBoardMux({
    send: (t) => {
      writes.server++;
      deliver(() => client, t);
    },
    schedule: (f) => setImmediate(f),
    onOpen: (ch, s) => opened.set(ch, s),
    onError: (e) => errors.push(e),
  });
  return { client, server, opened, errors, writes };
}

/** Everything a stream receives, as text, and how it ended. */
function collect(s: BoardStream) {
  const got = { text: "", end: null as BoardStreamEnd | null };
  s.onData((c) => {
    got.text += typeof c === "string" ? c : new TextDecoder().decode(c);
  });
  s.onClose((e) => {
    got.end = e;
  });
  return got;
}

test("board mux: lines of two channels reach their own streams both ways; lines of one turn leave in one write", async () => {
  const p = pair();
  const a = p.client.open(3);
  const b = p.client.open(70_000);
  a.write('{"v":1,"seq":0,"type":"hello"}\n');
  b.write('{"v":1,"seq":0,"type":"hello"}\n{"v":1,"seq":1,"type":"heartbeat"}\n');
  a.write('{"v":1,"seq":1,"type":"heart');
  a.write('beat"}\n');
  await turn();
  await turn();
  assert.equal(p.writes.client, 1, "one write for the whole turn");
  assert.deepEqual([...p.opened.keys()], [3, 70_000]);
  const sa = collect(p.opened.get(3)!);
  const sb = collect(p.opened.get(70_000)!);
  assert.equal(sa.text, '{"v":1,"seq":0,"type":"hello"}\n{"v":1,"seq":1,"type":"heartbeat"}\n');
  assert.equal(sb.text, '{"v":1,"seq":0,"type":"hello"}\n{"v":1,"seq":1,"type":"heartbeat"}\n');
  // the answer on channel 3 reaches only stream a
  const ga = collect(a);
  const gb = collect(b);
  p.opened.get(3)!.write('{"v":1,"seq":0,"type":"hello","role":"ev"}\n');
  await turn();
  await turn();
  assert.equal(ga.text, '{"v":1,"seq":0,"type":"hello","role":"ev"}\n');
  assert.equal(gb.text, "");
  assert.deepEqual(p.errors, []);
});

test("board mux: closing a channel ends it at the peer (and only it); the connection's end ends every channel", async () => {
  const p = pair();
  const a = p.client.open(1);
  const b = p.client.open(2);
  a.write("x\n");
  b.write("y\n");
  await turn();
  await turn();
  const sa = collect(p.opened.get(1)!);
  const sb = collect(p.opened.get(2)!);
  a.close();
  assert.equal(a.closed, true);
  await turn();
  await turn();
  assert.match(sa.end?.reason ?? "", /channel closed by the peer/);
  assert.equal(sb.end, null);
  assert.equal(p.server.size, 1);
  // the channel number can be opened again: a new stream at the peer
  const a2 = p.client.open(1);
  a2.write("again\n");
  await turn();
  await turn();
  assert.equal(collect(p.opened.get(1)!).text, "again\n");
  const gb = collect(b);
  p.client.end({ reason: "socket closed" });
  assert.equal(gb.end?.reason, "socket closed");
  assert.throws(() => p.client.open(-1), /channel -1/);
});

test("board mux: a line without a channel number is reported and skipped; the next lines still arrive", async () => {
  const p = pair();
  p.server.receive("garbage\n5 ok\n");
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0]!.message, /board mux: line without a channel number: "garbage"/);
  assert.equal(collect(p.opened.get(5)!).text, "ok\n");
});

test("board mux: any channels and lines, cut anywhere on the way, arrive per channel in order (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 20 }),
          fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes("\n") && !s.includes("\r")),
        ),
        { maxLength: 40 },
      ),
      fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 }),
      async (writes, sizes) => {
        let k = 0;
        const p = pair((text) => {
          const out: string[] = [];
          for (let i = 0; i < text.length; ) {
            const n = sizes[k++ % sizes.length]!;
            out.push(text.slice(i, i + n));
            i += n;
          }
          return out;
        });
        const streams = new Map<number, BoardStream>();
        const want = new Map<number, string>();
        for (const [ch, line] of writes) {
          if (!streams.has(ch)) streams.set(ch, p.client.open(ch));
          // a line starting with "!close" would be a control line: the mux carries board JSON lines
          const body = line.startsWith("!") ? `#${line}` : line;
          streams.get(ch)!.write(`${body}\n`);
          // every line arrives as written, a blank one too (the mux drops only empty lines, as a socket's reader would)
          want.set(ch, `${want.get(ch) ?? ""}${body}\n`);
        }
        await turn();
        await turn();
        for (const [ch, text] of want) {
          if (text === "") continue;
          assert.equal(collect(p.opened.get(ch)!).text.replace(/\r/g, ""), text);
        }
      },
    ),
    // a blank line among others, cut into single bytes: a counterexample a CI run once found
    {
      numRuns: 100,
      examples: [
        [
          [
            [12, "!"],
            [12, " "],
          ],
          [1],
        ],
      ],
    },
  );
});

test("board mux: channel ranges round-trip (property); a bad range names itself", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }), (xs) => {
      const sorted = [...new Set(xs)].sort((a, b) => a - b);
      assert.deepEqual(parseChannelRanges(formatChannelRanges(xs)), sorted);
    }),
  );
  assert.equal(formatChannelRanges([0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
  assert.throws(() => parseChannelRanges("3-1"), /bad channel range "3-1"/);
  assert.throws(() => parseChannelRanges("a"), /bad channel range "a"/);
});

test("board mux: a character whose UTF-8 bytes are split across two writes of a channel arrives whole", async () => {
  const p = pair();
  const s = p.client.open(9);
  const bytes = new TextEncoder().encode('{"name":"é"}\n');
  const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "é"
  s.write(bytes.slice(0, cut));
  s.write(bytes.slice(cut));
  await turn();
  await turn();
  assert.equal(collect(p.opened.get(9)!).text, '{"name":"é"}\n');
});
