import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import {
  checkMuxAuthProof,
  isMuxAuthHeader,
  MUX_KEY_MIN_BYTES,
  muxAuthProof,
  muxNonce,
  parseMuxAuthHeader,
  readMuxKey,
} from "../../link/board/mux-auth.js";
import { type BoardMuxAddress, connectBoardMux } from "../../link/board/mux-client.js";
import type { LinkLogger } from "../../link/logger.js";
import { connectBoardMuxPark, listenBoardMux } from "./mux-socket.js";
import { until } from "./test-support.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-mux-auth-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const KEY = enc.encode("0123456789abcdef0123456789abcdef");
const OTHER = enc.encode("fedcba9876543210fedcba9876543210");

/** A logger that keeps its warnings. */
function keptLog(): LinkLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const no = () => {};
  return { warnings, debug: no, info: no, error: no, warn: (_o: object, m: string) => warnings.push(m) };
}

/** A park mux on [::1] (a free port) hosting cables 0 and 1 with `key`; `opened` lists channels accepted. */
async function park(key: Uint8Array | undefined, authWaitMs?: number) {
  const opened: number[] = [];
  const log = keptLog();
  const server = await listenBoardMux({
    address: { kind: "tcp", host: "::1", port: 0 },
    hosts: [0, 1],
    accept: (ch, s) => {
      opened.push(ch);
      s.onData(() => s.write('{"v":1,"seq":0,"type":"ack"}\n'));
    },
    ...(key && { key }),
    ...(authWaitMs !== undefined && { authWaitMs }),
    logger: log,
  });
  const port = Number(server.where.slice(server.where.lastIndexOf(":") + 1));
  const address: BoardMuxAddress = { kind: "tcp", host: "::1", port };
  return { server, opened, log, port, address };
}

/** A connection that should be refused: closed at once if it is not (so a failing test does not hang). */
const closedIfOpened = (p: Promise<{ close(): void }>) =>
  p.then((c) => {
    c.close();
    return c;
  });

/** A raw TCP peer of a mux: what it received, and whether the mux closed it. */
async function rawPeer(port: number): Promise<{ socket: Socket; text: () => string; closed: () => boolean }> {
  const socket = connect({ host: "::1", port });
  let text = "";
  let closed = false;
  socket.on("data", (d) => {
    text += d.toString();
  });
  socket.on("close", () => {
    closed = true;
  });
  socket.on("error", () => {});
  await new Promise<void>((r) => socket.once("connect", () => r()));
  return { socket, text: () => text, closed: () => closed };
}

test("mux key file: trailing whitespace dropped; too short, missing or empty refused with the rule", () => {
  const f = join(dir, "key");
  writeFileSync(f, "0123456789abcdef0123456789abcdef\n");
  assert.deepEqual(readMuxKey(f), KEY);
  writeFileSync(f, "short key\n");
  assert.throws(() => readMuxKey(f), /has 9 bytes: 16–4096 are needed \(e\.g\. openssl rand -hex 32/);
  writeFileSync(f, "");
  assert.throws(() => readMuxKey(f), /has 0 bytes/);
  assert.throws(() => readMuxKey(join(dir, "absent")), /cannot read the key file .*absent: ENOENT/);
  if (process.getuid?.() !== 0) {
    writeFileSync(f, "0123456789abcdef0123456789abcdef");
    chmodSync(f, 0o000);
    assert.throws(() => readMuxKey(f), /cannot read the key file .*: EACCES/);
  }
  assert.equal(MUX_KEY_MIN_BYTES, 16);
});

test("mux proofs: only the same key, role and nonces check; any other key, role, nonce or proof does not", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 64 }),
      fc.uint8Array({ minLength: 16, maxLength: 64 }),
      fc.constantFrom("client" as const, "server" as const),
      (k1, k2, role) => {
        const s = muxNonce();
        const c = muxNonce();
        const proof = muxAuthProof(k1, role, s, c);
        assert.equal(checkMuxAuthProof(k1, role, s, c, proof), true);
        const other = role === "client" ? "server" : "client";
        assert.equal(checkMuxAuthProof(k1, other, s, c, proof), false, "the other role's proof");
        assert.equal(checkMuxAuthProof(k1, role, c, s, proof), false, "nonces swapped");
        assert.equal(checkMuxAuthProof(k1, role, s, c, proof.toUpperCase()), false, "not lower-case hex");
        assert.equal(checkMuxAuthProof(k1, role, s, c, proof.slice(2)), false, "short");
        if (Buffer.compare(Buffer.from(k1), Buffer.from(k2)) !== 0)
          assert.equal(checkMuxAuthProof(k2, role, s, c, proof), false, "another key");
      },
    ),
    { numRuns: 200 },
  );
});

test("mux auth headers: the four forms parse; anything else is null and never throws", () => {
  const h = "ab".repeat(32);
  assert.deepEqual(parseMuxAuthHeader(`auth-challenge ${h}`), { kind: "challenge", s: h });
  assert.deepEqual(parseMuxAuthHeader(`auth ${h} ${h}`), { kind: "auth", c: h, proof: h });
  assert.deepEqual(parseMuxAuthHeader(`auth-ok ${h}`), { kind: "ok", proof: h });
  assert.deepEqual(parseMuxAuthHeader("auth-refused wrong key"), { kind: "refused", why: "wrong key" });
  for (const bad of [
    `auth-challenge ${h.slice(1)}`,
    `auth ${h}`,
    `auth-ok ${h} x`,
    "auth",
    `mux 0/1`,
    "hosts 0-1",
  ])
    assert.equal(parseMuxAuthHeader(bad), null, bad);
  assert.equal(isMuxAuthHeader("auth"), true);
  assert.equal(isMuxAuthHeader("authx"), false);
  assert.equal(isMuxAuthHeader("hosts 0-1"), false);
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (t) => {
      const p = parseMuxAuthHeader(t);
      if (p) assert.equal(isMuxAuthHeader(t), true);
    }),
  );
});

test("mux with a key: a fleet with the same key gets the cables; a wrong key, no key, or a keyed fleet at a keyless park is refused, naming why", async () => {
  const keyed = await park(KEY);
  const keyless = await park(undefined);
  try {
    const c = await connectBoardMux(keyed.address, undefined, KEY);
    assert.deepEqual([...c.hosts], [0, 1]);
    const s = c.open(1);
    let got = "";
    s.onData((d) => {
      got += String(d);
    });
    s.write('{"v":1,"seq":0,"type":"hello"}\n');
    await until(() => got.includes('"ack"'), "cable 1 answered");
    assert.deepEqual(keyed.opened, [1]);
    c.close();

    await assert.rejects(
      closedIfOpened(connectBoardMux(keyed.address, undefined, OTHER)),
      /board mux tcp:\[::1\]:\d+: refused the key: wrong key/,
    );
    await assert.rejects(
      closedIfOpened(connectBoardMux(keyed.address)),
      /board mux tcp:\[::1\]:\d+: asks for a key: give --board-mux-key FILE/,
    );
    await assert.rejects(
      closedIfOpened(connectBoardMux(keyless.address, undefined, KEY)),
      /asks for no key \(the park was started without --board-mux-key\)/,
    );
    await until(
      () => keyed.log.warnings.some((w) => /refused: wrong key/.test(w)),
      "the park logged the refusal",
    );
    assert.deepEqual(keyed.opened, [1], "no cable opened by a refused fleet");
    // the park: one address finds the keyed mux
    const found = await connectBoardMuxPark("::1", keyed.port, undefined, KEY);
    assert.equal(found.length, 1);
    for (const f of found) f.close();
  } finally {
    await keyed.server.close();
    await keyless.server.close();
  }
});

test("mux with a key: a peer that opens a cable before the proof is disconnected, one that never proves is refused in time, a forged auth-ok is caught", async () => {
  const keyed = await park(KEY, 300);
  try {
    const early = await rawPeer(keyed.port);
    await until(() => early.text().startsWith("* auth-challenge "), "challenge sent");
    assert.equal(early.text().includes("hosts"), false, "no hosts before the proof");
    early.socket.write('0 {"v":1,"seq":0,"type":"hello"}\n');
    await until(() => early.closed(), "disconnected");
    assert.deepEqual(keyed.opened, []);
    assert.ok(keyed.log.warnings.some((w) => /opened cable 0 before proving the key/.test(w)));

    const silent = await rawPeer(keyed.port);
    await until(() => silent.closed(), "closed after the wait");
    assert.match(silent.text(), /\* auth-refused no proof of the key in time\n/);
  } finally {
    await keyed.server.close();
  }
  // a mux that answers the proof with a made-up auth-ok (it does not hold the key)
  const { createServer } = await import("node:net");
  const fake = createServer((sock) => {
    sock.write(`* auth-challenge ${muxNonce()}\n`);
    sock.on("data", () => sock.write(`* auth-ok ${"00".repeat(32)}\n* hosts 0-1\n`));
  });
  await new Promise<void>((r) => fake.listen({ host: "::1", port: 0 }, r));
  const port = (fake.address() as { port: number }).port;
  try {
    await assert.rejects(
      closedIfOpened(connectBoardMux({ kind: "tcp", host: "::1", port }, undefined, KEY)),
      /did not prove the key \(its auth-ok does not match\)/,
    );
  } finally {
    await new Promise<void>((r) => fake.close(() => r()));
  }
});
