import assert from "node:assert/strict";
import { test } from "node:test";
import { withHelloSim } from "./hello-sim.js";
import { createBoardStreamPair } from "./stream.js";

const tick = () => new Promise<void>((r) => setImmediate(r));

test("hello sim: the host's hello gains `sim`, other lines pass unchanged, data and the end come through", async () => {
  const [host, board] = createBoardStreamPair();
  const sim = { socPercent: 42 };
  const s = withHelloSim(host, sim);
  const atBoard: string[] = [];
  board.onData((c) => atBoard.push(String(c)));
  s.write('{"v":1,"seq":0,"type":"hello","role":"ev"}\n');
  s.write('{"v":1,"seq":1,"type":"heartbeat"}\n');
  await tick();
  assert.deepEqual(JSON.parse(atBoard[0] ?? ""), { v: 1, seq: 0, type: "hello", role: "ev", sim });
  assert.equal(atBoard[1], '{"v":1,"seq":1,"type":"heartbeat"}\n');

  const atHost: string[] = [];
  s.onData((c) => atHost.push(String(c)));
  board.write('{"v":1,"seq":0,"type":"inlet","voltageV":1,"currentA":0,"acPresent":false}\n');
  await tick();
  assert.equal(atHost.length, 1);

  const ends: string[] = [];
  s.onClose((e) => ends.push(e.reason));
  assert.equal(s.closed, false);
  s.close();
  assert.equal(s.closed, true);
  await tick();
  assert.deepEqual(ends, ["closed locally"]);
});
