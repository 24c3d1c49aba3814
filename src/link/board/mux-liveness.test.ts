/**
 * A board mux with its own liveness: the connection beats for all its channels, so the board links on them
 * send no heartbeats of their own, and a channel stays up while anything arrives on the connection. When the
 * whole connection falls silent, every link and every endpoint on it is lost after the heartbeat limit.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type BoardEndpoint, createBoardEndpoint } from "./board-endpoint.js";
import { type BoardLink, type BoardLost, createBoardLink } from "./board-link.js";
import { type BoardMux, createBoardMux } from "./mux.js";
import { BOARD_HEARTBEAT_INTERVAL_MS, BOARD_HEARTBEAT_LIMIT_MS } from "./protocol.js";
import { createFakeTimers } from "./test-support.js";

/** Two mux ends with liveness, joined in memory; `silent` stops delivery both ways (a hung peer process). */
function setup(channels: number[]) {
  const clock = createFakeTimers();
  const sent: string[] = [];
  const net = { silent: false };
  let client!: BoardMux;
  let server!: BoardMux;
  const endpoints = new Map<number, BoardEndpoint<"ev">>();
  const deliver = (to: () => BoardMux, text: string) => {
    sent.push(text);
    if (!net.silent) queueMicrotask(() => to().receive(text));
  };
  const common = { schedule: (f: () => void) => setImmediate(f), liveness: { clock } };
  client = createBoardMux({ ...common, send: (t) => deliver(() => server, t) });
  server = createBoardMux({
    ...common,
    send: (t) => deliver(() => client, t),
    onOpen: (ch, stream) =>
      endpoints.set(ch, createBoardEndpoint({ role: "ev", stream, name: `cable ${ch}`, timers: clock })),
  });
  const links = new Map<number, BoardLink<"ev">>();
  for (const ch of channels)
    links.set(ch, createBoardLink({ role: "ev", stream: client.open(ch), timers: clock, host: "nacs test" }));
  return { clock, sent, net, links, endpoints };
}

/** Every link past its hello; the losses of links and endpoints from then on. */
async function ready(s: ReturnType<typeof setup>): Promise<string[]> {
  await s.clock.advance(50);
  for (const l of s.links.values()) await l.ready;
  const lost: string[] = [];
  for (const [ch, l] of s.links) l.onLost((x: BoardLost) => lost.push(`link ${ch}: ${x.reason}`));
  for (const [ch, e] of s.endpoints) e.onLost((x) => lost.push(`endpoint ${ch}: ${x.reason}`));
  return lost;
}

const lines = (sent: string[]) =>
  sent
    .join("")
    .split("\n")
    .filter((l) => l !== "");

test("board mux liveness: the connection beats, its links send no heartbeats, and every channel stays up", async () => {
  const s = setup([1, 2]);
  const lost = await ready(s);
  const before = lines(s.sent).length;
  // two seconds with nothing to say on any channel
  await s.clock.advance(2_000);
  const quiet = lines(s.sent).slice(before);
  assert.deepEqual(lost, []);
  assert.equal(
    quiet.filter((l) => l.includes('"heartbeat"')).length,
    0,
    `no board heartbeat on a channel: ${quiet.slice(0, 4).join(" | ")}`,
  );
  const beats = quiet.filter((l) => l === "* beat").length;
  // each end beats once per 100 ms of silence: about 20 each in 2 s
  assert.ok(beats >= 36 && beats <= 42, `${beats} connection beats in 2 s (both ends)`);
  // readings still flow on their channel
  s.endpoints.get(2)!.sendReading({ type: "bms", socPercent: 41, batteryVoltageV: 380 });
  const got: unknown[] = [];
  s.links.get(2)!.onReading((r) => got.push(r));
  await s.clock.advance(10);
  assert.deepEqual(got, [{ type: "bms", socPercent: 41, batteryVoltageV: 380 }]);
});

test("board mux liveness: a connection that falls silent loses every link and every endpoint on it", async () => {
  const s = setup([1, 2]);
  const lost = await ready(s);
  s.net.silent = true;
  // the last beat heard may be up to one interval old when the silence starts
  await s.clock.advance(BOARD_HEARTBEAT_LIMIT_MS - BOARD_HEARTBEAT_INTERVAL_MS - 10);
  assert.deepEqual(lost, [], "not before the limit");
  await s.clock.advance(BOARD_HEARTBEAT_INTERVAL_MS + 50);
  assert.deepEqual(lost.sort(), [
    "endpoint 1: heartbeat",
    "endpoint 2: heartbeat",
    "link 1: heartbeat",
    "link 2: heartbeat",
  ]);
});
