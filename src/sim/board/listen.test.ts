import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openBoardStream } from "../../link/board/adapters.js";
import { type BoardLink, createBoardLink } from "../../link/board/board-link.js";
import { BoardError } from "../../link/board/errors.js";
import type { BoardRole } from "../../link/board/messages.js";
import { realClock } from "../../machine/index.js";
import { parseListenSpec, startWorldServer } from "./listen.js";
import { testWorld, until } from "./test-support.js";

test("parseListenSpec: unix and tcp forms (port 0 = any), errors name the value and the forms", () => {
  assert.deepEqual(parseListenSpec("unix:/tmp/a.sock"), { kind: "unix", path: "/tmp/a.sock" });
  assert.deepEqual(parseListenSpec("tcp:[::1]:0"), { kind: "tcp", host: "::1", port: 0 });
  assert.throws(() => parseListenSpec("tcp:localhost"), /--listen "tcp:localhost": tcp: needs HOST:PORT/);
  assert.throws(
    () => parseListenSpec("serial:/dev/x"),
    /unknown transport \(expected unix:PATH \| tcp:HOST:PORT\)/,
  );
  assert.throws(() => parseListenSpec(`unix:/${"x".repeat(200)}`), /longer than 107 bytes/);
});

async function link<R extends BoardRole>(address: string, role: R) {
  const l = createBoardLink({ role, stream: await openBoardStream(address), host: "nacs test" });
  const errors: string[] = [];
  l.onError((e) => errors.push(e.message));
  return { link: l as BoardLink<R>, errors };
}

test("world server on TCP: both roles, one live host per role, a role is free again after bye", async () => {
  const world = testWorld(realClock, { measureEveryMs: 100 });
  const server = await startWorldServer({ listen: "tcp:127.0.0.1:0", world, clock: realClock });
  try {
    assert.match(server.address, /^tcp:127\.0\.0\.1:\d+$/);
    assert.notEqual(server.address, "tcp:127.0.0.1:0");
    const evse = await link(server.address, "evse");
    const ev = await link(server.address, "ev");
    await Promise.all([evse.link.ready, ev.link.ready]);
    assert.equal(world.cable.plugged, true);
    assert.ok(server.live.evse && server.live.ev);

    const second = await link(server.address, "ev");
    await assert.rejects(second.link.ready);
    assert.match(second.errors.join("\n"), /the ev side of this simulated world already has a live host/);

    ev.link.close();
    await until(() => !server.live.ev && !world.cable.plugged, "EV slot released, EV unplugged");
    const again = await link(server.address, "ev");
    await again.link.ready;
    assert.equal(world.cable.plugged, true);
    again.link.close();
    evse.link.close();
  } finally {
    await server.close();
    world.stop();
  }
});

test("world server: a connection that never says hello is closed after the wait", async () => {
  const world = testWorld(realClock);
  const server = await startWorldServer({
    listen: "tcp:127.0.0.1:0",
    world,
    clock: realClock,
    helloWaitMs: 100,
  });
  try {
    const stream = await openBoardStream(server.address);
    let text = "";
    stream.onData((c) => {
      text += typeof c === "string" ? c : Buffer.from(c).toString();
    });
    const ended = new Promise((r) => stream.onClose(r));
    await ended;
    assert.match(text, /"type":"error","message":"no valid hello within 100 ms"/);
  } finally {
    await server.close();
    world.stop();
  }
});

test("world server on a unix socket in a folder that does not exist: refused naming the folder, not EACCES", async () => {
  const world = testWorld(realClock);
  const dir = join(tmpdir(), `nacs-no-such-${process.pid}`, "park");
  try {
    await assert.rejects(
      startWorldServer({ listen: `unix:${dir}/w0.sock`, world, clock: realClock }),
      (e: unknown) =>
        e instanceof BoardError &&
        e.message === `--listen unix:${dir}/w0.sock: no folder ${dir} (create it first)` &&
        (e.cause as NodeJS.ErrnoException).code === "ENOENT",
    );
  } finally {
    world.stop();
  }
});
