import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BOARD_SPEC_FORMS, openBoardStream, parseBoardSpec, socketBoardStream } from "./adapters.js";
import { createBoardEndpoint } from "./board-endpoint.js";
import { type BoardLost, createBoardLink } from "./board-link.js";
import { BoardError } from "./errors.js";
import type { EvBoardCommand, EvseBoardReading } from "./protocol.js";
import { waitFor } from "./test-support.js";

const T = { timeout: 15_000 };

test("parseBoardSpec: the five forms", () => {
  assert.deepEqual(parseBoardSpec("sim"), { kind: "sim" });
  assert.deepEqual(parseBoardSpec("sim:/tmp/w.sock"), { kind: "sim", path: "/tmp/w.sock" });
  assert.throws(() => parseBoardSpec("sim:w.sock"), /--board "sim:w.sock": sim: needs an absolute path/);
  assert.deepEqual(parseBoardSpec("stdio:./board --fast"), { kind: "stdio", command: "./board --fast" });
  assert.deepEqual(parseBoardSpec("serial:/dev/ttyUSB0"), { kind: "serial", path: "/dev/ttyUSB0" });
  assert.deepEqual(parseBoardSpec("serial:/dev/ttyACM0@115200"), {
    kind: "serial",
    path: "/dev/ttyACM0",
    baud: 115200,
  });
  assert.deepEqual(parseBoardSpec("tcp:127.0.0.1:7000"), { kind: "tcp", host: "127.0.0.1", port: 7000 });
  assert.deepEqual(parseBoardSpec("tcp:[::1]:7000"), { kind: "tcp", host: "::1", port: 7000 });
  assert.deepEqual(parseBoardSpec("tcp:board.local:1"), { kind: "tcp", host: "board.local", port: 1 });
  assert.deepEqual(parseBoardSpec("unix:/run/board.sock"), { kind: "unix", path: "/run/board.sock" });
});

test("parseBoardSpec: errors name --board, the value and the rule", () => {
  const bad: [string, RegExp][] = [
    ["", /unknown transport ""/],
    ["usb:/dev/x", /unknown transport "usb"/],
    ["stdio:", /stdio: needs a command/],
    ["serial:ttyUSB0", /absolute device path/],
    ["serial:/dev/ttyUSB0@115201", /baud "115201" is not one of/],
    ["serial:/dev/ttyUSB0@fast", /baud "fast"/],
    ["tcp:7000", /needs HOST:PORT/],
    ["tcp:host:0", /port "0" is not an integer 1…65535/],
    ["tcp:host:70000", /port "70000"/],
    ["tcp:host:", /port ""/],
    ["unix:", /needs a socket path/],
    [`unix:/${"x".repeat(120)}`, /longer than 107 bytes/],
  ];
  for (const [spec, rule] of bad)
    assert.throws(
      () => parseBoardSpec(spec),
      (e: unknown) =>
        e instanceof BoardError &&
        e.code === "bad-spec" &&
        e.message.startsWith(`--board ${JSON.stringify(spec)}: `) &&
        rule.test(e.message) &&
        e.message.includes(`expected ${BOARD_SPEC_FORMS}`),
      spec,
    );
});

/** A board endpoint (EV role) behind a TCP or unix listener; one per connection. */
async function listenBoard(
  listen: (s: Server) => void,
): Promise<{ server: Server; sockets: Socket[]; commands: EvBoardCommand[]; lost: string[] }> {
  const sockets: Socket[] = [];
  const commands: EvBoardCommand[] = [];
  const lost: string[] = [];
  const server = createServer((sock) => {
    sockets.push(sock);
    const ep = createBoardEndpoint({ role: "ev", stream: socketBoardStream(sock), name: "net-board" });
    ep.sendReading({ type: "bms", socPercent: 40, batteryVoltageV: 380 });
    ep.onCommand((c) => commands.push(c));
    ep.onLost((l) => lost.push(l.reason));
  });
  await new Promise<void>((r) => {
    server.once("listening", () => r());
    listen(server);
  });
  return { server, sockets, commands, lost };
}

async function exerciseNetBoard(spec: string, b: Awaited<ReturnType<typeof listenBoard>>): Promise<void> {
  const link = createBoardLink({ role: "ev", stream: await openBoardStream(spec) });
  const readings: unknown[] = [];
  link.onReading((r) => readings.push(r));
  const hello = await link.ready;
  assert.equal(hello.board, "net-board");
  link.send({ type: "s2", closed: true });
  await waitFor(() => b.commands.length === 1 && readings.length === 1, "command and reading");
  assert.deepEqual(b.commands, [{ type: "s2", closed: true }]);
  assert.deepEqual(readings, [{ type: "bms", socPercent: 40, batteryVoltageV: 380 }]);
  link.close();
  await waitFor(() => b.lost.length === 1, "board sees bye");
  assert.deepEqual(b.lost, ["bye"]);

  // The board side going away ⇒ the host loses the link ("closed").
  const link2 = createBoardLink({ role: "ev", stream: await openBoardStream(spec) });
  const lost: BoardLost[] = [];
  link2.onLost((l) => lost.push(l));
  await link2.ready;
  b.sockets.at(-1)?.end();
  await waitFor(() => lost.length === 1, "host sees the board close");
  assert.equal(lost[0]?.reason, "closed");
}

test("tcp adapter: hello, command, reading, bye and peer close over loopback", T, async () => {
  const b = await listenBoard((s) => s.listen(0, "127.0.0.1"));
  try {
    const port = (b.server.address() as { port: number }).port;
    await exerciseNetBoard(`tcp:127.0.0.1:${port}`, b);
  } finally {
    b.server.close();
  }
});

test("unix adapter: same over a socket file in a temp dir", T, async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-board-"));
  const path = join(dir, "board.sock");
  const b = await listenBoard((s) => s.listen(path));
  try {
    await exerciseNetBoard(`unix:${path}`, b);
  } finally {
    b.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tcp adapter: nothing listening → open-failed naming the spec", T, async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  await assert.rejects(
    openBoardStream(`tcp:127.0.0.1:${port}`),
    (e: unknown) =>
      e instanceof BoardError && e.code === "open-failed" && e.message.includes(`tcp:127.0.0.1:${port}`),
  );
});

/** A board written by hand in plain JS, as a board vendor would: EVSE role, cp follows the duty. */
const BOARD_SCRIPT = `
let seq = 0, buf = "", hb;
const send = (o) => process.stdout.write(JSON.stringify({ v: 1, seq: seq++, ...o }) + "\\n");
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => {
  buf += d;
  for (let i = buf.indexOf("\\n"); i >= 0; i = buf.indexOf("\\n")) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    let m;
    try { m = JSON.parse(line); } catch { send({ type: "error", message: "bad json" }); continue; }
    if (m.type === "hello") {
      send({ type: "hello", role: "evse", protocol: 1, board: "script-board" });
      hb ??= setInterval(() => send({ type: "heartbeat" }), 100);
      send({ type: "cp", state: "A" });
    } else if (m.type === "bye") process.exit(0);
    else if (m.type !== "heartbeat") {
      send({ type: "ack", ack: m.seq });
      if (m.type === "duty") send({ type: "cp", state: m.duty === 100 ? "B" : "C" });
    }
  }
});
process.stdin.on("end", () => process.exit(0));
`;

function boardScript(): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), "nacs-board-"));
  const script = join(dir, "board.mjs");
  writeFileSync(script, BOARD_SCRIPT);
  return { dir, spec: `stdio:exec "${process.execPath}" "${script}"` };
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test(
  "stdio adapter: a child process as the board; commands, acks, readings; close ends the child",
  T,
  async () => {
    const { dir, spec } = boardScript();
    try {
      const stream = await openBoardStream(spec);
      const link = createBoardLink({ role: "evse", stream });
      const readings: EvseBoardReading[] = [];
      link.onReading((r) => readings.push(r));
      const acks: number[] = [];
      link.onAck((a) => acks.push(a.seq));
      assert.equal((await link.ready).board, "script-board");
      const seq = link.send({ type: "duty", duty: 100 });
      await waitFor(() => readings.length === 2 && acks.length === 1, "cp B and the ack");
      assert.deepEqual(readings, [
        { type: "cp", state: "A" },
        { type: "cp", state: "B" },
      ]);
      assert.deepEqual(acks, [seq]);
      link.close();
      await waitFor(() => !alive(stream.pid), "the board process to exit");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("stdio adapter: killing the board process makes onLost fire", T, async () => {
  const { dir, spec } = boardScript();
  try {
    const stream = await openBoardStream(spec);
    const link = createBoardLink({ role: "evse", stream });
    const lost: BoardLost[] = [];
    link.onLost((l) => lost.push(l));
    await link.ready;
    assert.ok(stream.pid !== undefined && alive(stream.pid));
    process.kill(stream.pid, "SIGKILL");
    await waitFor(() => lost.length === 1, "onLost");
    assert.equal(lost[0]?.reason, "closed");
    assert.match(lost[0]?.detail ?? "", /killed by SIGKILL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Bridges a pseudo-terminal to its stdio: the test's board endpoint talks through it, the host opens the tty. */
const PTY_BRIDGE = `
import os, pty, select, sys
m, s = pty.openpty()
with open(sys.argv[1] + ".tmp", "w") as f: f.write(os.ttyname(s))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    r, _, _ = select.select([0, m], [], [], 10)
    if not r: break
    if 0 in r:
        d = os.read(0, 4096)
        if not d: break
        os.write(m, d)
    if m in r:
        os.write(1, os.read(m, 4096))
`;
const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;

test(
  "serial adapter: stty + open a tty (a pty bridged to a board endpoint)",
  { ...T, skip: !hasPython && "no python3" },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-board-"));
    try {
      writeFileSync(join(dir, "bridge.py"), PTY_BRIDGE);
      const pathFile = join(dir, "tty-path");
      const boardSide = await openBoardStream(`stdio:exec python3 "${join(dir, "bridge.py")}" "${pathFile}"`);
      const board = createBoardEndpoint({ role: "ev", stream: boardSide, name: "pty-board" });
      const commands: EvBoardCommand[] = [];
      board.onCommand((c) => commands.push(c));
      let tty = "";
      await waitFor(() => {
        try {
          tty = readFileSync(pathFile, "utf8");
        } catch {}
        return tty !== "";
      }, "the pty path");
      const link = createBoardLink({ role: "ev", stream: await openBoardStream(`serial:${tty}@115200`) });
      assert.equal((await link.ready).board, "pty-board");
      link.send({ type: "lock", locked: true });
      await waitFor(() => commands.length === 1, "the command through the tty");
      assert.deepEqual(commands, [{ type: "lock", locked: true }]);
      link.close();
      board.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("openBoardStream sim: hands the board side to the simulator", T, async () => {
  const host = await openBoardStream("sim", {
    simulator: (boardSide) => createBoardEndpoint({ role: "evse", stream: boardSide, name: "sim" }),
  });
  const link = createBoardLink({ role: "evse", stream: host });
  assert.equal((await link.ready).board, "sim");
  link.close();
  await assert.rejects(
    openBoardStream("sim"),
    (e: unknown) => e instanceof BoardError && e.code === "bad-spec",
  );
});
