import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { BOARD_MUX_MAX_PLACES, connectBoardMux, parseMuxPlace } from "../../link/board/mux-client.js";
import { BOARD_HEARTBEAT_LIMIT_MS } from "../../link/board/protocol.js";
import type { BoardStream } from "../../link/board/stream.js";
import type { EvBoardEvent, EvseBoardEvent } from "../../link/host/controllers.js";
import { realClock } from "../../machine/index.js";
import { boardMuxPath, connectBoardMuxes, connectBoardMuxPark, listenBoardMux } from "./mux-socket.js";
import { joinSharedWorld, joinSharedWorldOver } from "./shared-world.js";
import { testWorld, until } from "./test-support.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-mux-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const factory = () => testWorld(realClock, { measureEveryMs: 100 });

test("board mux socket: two cables hosted in one process, both EV hosts over one connection; readings and commands flow, a bye leaves only its cable", async () => {
  const hosted = await Promise.all(
    [0, 1].map((i) =>
      joinSharedWorld({ path: join(dir, `w${i}.sock`), role: "evse", clock: realClock, world: factory }),
    ),
  );
  const server = await listenBoardMux({
    address: { kind: "unix", path: boardMuxPath(dir) },
    hosts: [0, 1],
    accept: (ch, stream) => hosted[ch]!.accept!(stream),
  });
  const [client] = await connectBoardMuxes(dir);
  assert.ok(client, "the mux in the folder was found");
  try {
    assert.deepEqual([...client.hosts], [0, 1]);
    const evs = await Promise.all(
      [0, 1].map((i) =>
        joinSharedWorldOver(
          { role: "ev", clock: realClock, sim: { socPercent: 40 + i } },
          client.open(i),
          `board mux ${client.where}`,
        ),
      ),
    );
    assert.match(evs[0]!.port.name, /^sim \(board mux unix:.*mux-\d+\.sock\)$/);
    const toEv: EvBoardEvent[][] = [[], []];
    const toEvse: EvseBoardEvent[][] = [[], []];
    for (const [i, e] of evs.entries())
      e.port.attach(
        (r) => toEv[i]!.push(r),
        () => {},
      );
    for (const [i, h] of hosted.entries())
      h.port.attach(
        (r) => toEvse[i]!.push(r),
        () => {},
      );
    // each hello plugged its own cable in, with its own settings
    await until(() => hosted.every((h) => h.world?.cable.plugged), "both cables plugged in");
    assert.deepEqual(
      hosted.map((h) => h.world?.path.soc),
      [40, 41],
    );
    evs[1]!.port.command({ kind: "s2", closed: true });
    await until(() => toEvse[1]!.some((r) => r.kind === "cp" && r.state === "C"), "CP C on cable 1");
    assert.equal(
      toEvse[0]!.some((r) => r.kind === "cp" && r.state === "C"),
      false,
      "cable 0 untouched",
    );
    await until(() => toEv[0]!.some((r) => r.kind === "inlet"), "inlet readings on cable 0");
    await evs[0]!.close();
    await until(() => hosted[0]!.world?.cable.plugged === false, "cable 0's EV left on its bye");
    assert.equal(hosted[1]!.world?.cable.plugged, true, "cable 1's EV still there");
    await evs[1]!.close();
  } finally {
    client.close();
    await server.close();
    for (const h of hosted) await h.close();
  }
  assert.equal(existsSync(boardMuxPath(dir)), false, "socket file removed");
});

test("board mux socket: a channel the process does not host is closed at once; a second listener on the path is refused", async () => {
  const path = join(dir, "mux-1.sock");
  const server = await listenBoardMux({
    address: { kind: "unix", path },
    hosts: [5],
    accept: () => assert.fail("not hosted"),
  });
  try {
    await assert.rejects(
      listenBoardMux({ address: { kind: "unix", path }, hosts: [], accept: () => {} }),
      /another process already listens/,
    );
    const client = await connectBoardMux({ kind: "unix", path });
    const s = client.open(6);
    let end = "";
    s.onClose((e) => {
      end = e.reason;
    });
    s.write('{"v":1,"seq":0,"type":"hello"}\n');
    await until(() => end !== "", "channel 6 closed");
    assert.match(end, /channel closed by the peer/);
    client.close();
  } finally {
    await server.close();
  }
});

test("board mux socket: over the mux the EV host sends no heartbeats, and an idle cable stays joined on both ends", async () => {
  const hosted = await joinSharedWorld({
    path: join(dir, "w5.sock"),
    role: "evse",
    clock: realClock,
    world: factory,
  });
  const server = await listenBoardMux({
    address: { kind: "unix", path: join(dir, "mux-idle.sock") },
    hosts: [5],
    accept: (_ch, s) => hosted.accept!(s),
  });
  const client = await connectBoardMux({ kind: "unix", path: join(dir, "mux-idle.sock") });
  try {
    // what the EV host writes on its cable, on the way to the mux channel (the channel's liveness kept)
    const ch = client.open(5);
    const written: string[] = [];
    const spy: BoardStream = {
      write: (c) => {
        written.push(typeof c === "string" ? c : new TextDecoder().decode(c));
        ch.write(c);
      },
      onData: (cb) => ch.onData(cb),
      onClose: (cb) => ch.onClose(cb),
      close: () => ch.close(),
      get closed() {
        return ch.closed;
      },
      ...(ch.shared && { shared: ch.shared }),
    };
    const ev = await joinSharedWorldOver(
      { role: "ev", clock: realClock, sim: { socPercent: 50 } },
      spy,
      "board mux",
    );
    let lost = false;
    ev.port.attach(
      () => {},
      () => {
        lost = true;
      },
    );
    await until(() => hosted.world?.cable.plugged === true, "cable plugged in");
    // three heartbeat limits with nothing to say on the cable
    await new Promise((r) => setTimeout(r, 3 * BOARD_HEARTBEAT_LIMIT_MS));
    assert.equal(written.join("").includes('"type":"heartbeat"'), false, "no heartbeat from the EV host");
    assert.equal(hosted.world?.cable.plugged, true, "the world kept its host");
    assert.equal(lost, false, "the EV host kept its board");
    await ev.close();
  } finally {
    client.close();
    await server.close();
    await hosted.close();
  }
});

test("board mux place: `mux K/W` read only with K < W ≤ the most; anything else is not a place", () => {
  assert.deepEqual(parseMuxPlace("mux 0/1"), { index: 0, count: 1 });
  assert.deepEqual(parseMuxPlace("mux 3/4"), { index: 3, count: 4 });
  assert.deepEqual(parseMuxPlace(`mux 0/${BOARD_MUX_MAX_PLACES}`), { index: 0, count: BOARD_MUX_MAX_PLACES });
  for (const bad of [
    "mux 4/4",
    "mux 1/0",
    `mux 0/${BOARD_MUX_MAX_PLACES + 1}`,
    "mux -1/2",
    "mux 1 / 2",
    "mux 1/2 x",
    "hosts 0-3",
  ])
    assert.equal(parseMuxPlace(bad), null, bad);
});

test("board mux park on TCP: found from any of its muxes; a mux that says another place is refused, naming it", async () => {
  const serve = (port: number, place: { index: number; count: number }, hosts: number[]) =>
    listenBoardMux({
      address: { kind: "tcp", host: "::1", port },
      place,
      hosts,
      accept: (_c, s) => s.close(),
    });
  // two consecutive free ports
  let servers: Awaited<ReturnType<typeof serve>>[] = [];
  let base = 0;
  for (let k = 0; k < 20 && servers.length === 0; k++) {
    const probe = await serve(0, { index: 0, count: 2 }, [0]);
    base = Number(probe.where.slice(probe.where.lastIndexOf(":") + 1));
    const second = await serve(base + 1, { index: 1, count: 2 }, [1, 3]).catch(() => null);
    if (second) servers = [probe, second];
    else await probe.close();
  }
  assert.equal(servers.length, 2, "two consecutive free ports");
  try {
    for (const from of [base, base + 1]) {
      const park = await connectBoardMuxPark("::1", from);
      assert.deepEqual(
        park.map((c) => [c.where, [...c.hosts]]),
        [
          [`tcp:[::1]:${base}`, [0]],
          [`tcp:[::1]:${base + 1}`, [1, 3]],
        ],
      );
      for (const c of park) c.close();
    }
    await servers[1]!.close();
    servers[1] = await serve(base + 1, { index: 0, count: 2 }, [1]);
    await assert.rejects(
      connectBoardMuxPark("::1", base),
      new RegExp(`board mux tcp:\\[::1\\]:${base + 1}: says it is mux 0/2, expected 1/2`),
    );
  } finally {
    for (const s of servers) await s.close();
  }
});
