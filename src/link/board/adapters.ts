/**
 * Node transports of the board port: the `--board` spec (`sim | stdio:CMD | serial:/dev/ttyX[@baud] |
 * tcp:HOST:PORT | unix:/path`) and the streams behind it (docs/board-protocol.md §Transports). Node-only.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, createReadStream, createWriteStream, constants as fsc, openSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { isatty, ReadStream as TtyReadStream } from "node:tty";
import { BoardError } from "./errors.js";
import { type BoardStream, createBoardStreamCore, createBoardStreamPair } from "./stream.js";

/** A parsed `--board` value. */
export type BoardSpec =
  /** The simulated world; `path`: the unix socket where two processes share one world. */
  | { kind: "sim"; path?: string }
  | { kind: "stdio"; command: string }
  | { kind: "serial"; path: string; baud?: number }
  | { kind: "tcp"; host: string; port: number }
  | { kind: "unix"; path: string };

/** The accepted forms, for help texts and error messages. */
export const BOARD_SPEC_FORMS =
  "sim[:SOCKET] | stdio:CMD | serial:/dev/ttyX[@baud] | tcp:HOST:PORT | unix:/path";
/** Baud rates `stty` sets on Linux (termios Bnnn constants). */
export const BOARD_SERIAL_BAUDS = [
  1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000,
  1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000,
] as const;
/** sun_path holds 108 bytes on Linux, including the terminating NUL. */
const UNIX_PATH_MAX = 107;

/** Parse a `--board` value. Throws {@link BoardError} "bad-spec" naming the flag, the value and the rule. */
export function parseBoardSpec(spec: string): BoardSpec {
  const bad = (rule: string): BoardError =>
    new BoardError("bad-spec", `--board ${JSON.stringify(spec)}: ${rule} (expected ${BOARD_SPEC_FORMS})`);
  if (spec === "sim") return { kind: "sim" };
  const colon = spec.indexOf(":");
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? "" : spec.slice(colon + 1);
  switch (kind) {
    case "sim":
      if (!rest.startsWith("/")) throw bad("sim: needs an absolute path for the shared world's socket");
      if (Buffer.byteLength(rest) > UNIX_PATH_MAX)
        throw bad(`sim: socket path longer than ${UNIX_PATH_MAX} bytes`);
      return { kind: "sim", path: rest };
    case "stdio":
      if (rest.trim() === "") throw bad("stdio: needs a command after the colon");
      return { kind: "stdio", command: rest };
    case "serial": {
      const at = rest.lastIndexOf("@");
      const path = at < 0 ? rest : rest.slice(0, at);
      if (!path.startsWith("/")) throw bad("serial: needs an absolute device path such as /dev/ttyUSB0");
      if (at < 0) return { kind: "serial", path };
      const baudText = rest.slice(at + 1);
      const baud = Number(baudText);
      if (!/^\d+$/.test(baudText) || !(BOARD_SERIAL_BAUDS as readonly number[]).includes(baud))
        throw bad(`serial: baud ${JSON.stringify(baudText)} is not one of ${BOARD_SERIAL_BAUDS.join(", ")}`);
      return { kind: "serial", path, baud };
    }
    case "tcp":
    case "unix":
      return parseSocketSpec(kind, rest, bad, 1);
    default:
      throw bad(`unknown transport ${JSON.stringify(kind)}`);
  }
}

/**
 * The `tcp:HOST:PORT` / `unix:PATH` part of a board or listen spec (`rest` is what follows the colon);
 * ports below `minPort` are refused (0 = any free port, for listeners). Errors come from `bad`.
 */
export function parseSocketSpec(
  kind: "tcp" | "unix",
  rest: string,
  bad: (rule: string) => Error,
  minPort: 0 | 1,
): { kind: "tcp"; host: string; port: number } | { kind: "unix"; path: string } {
  if (kind === "unix") {
    if (rest === "") throw bad("unix: needs a socket path");
    if (Buffer.byteLength(rest) > UNIX_PATH_MAX)
      throw bad(`unix: socket path longer than ${UNIX_PATH_MAX} bytes`);
    return { kind: "unix", path: rest };
  }
  const c = rest.lastIndexOf(":");
  let host = c < 0 ? "" : rest.slice(0, c);
  const portText = c < 0 ? "" : rest.slice(c + 1);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host === "") throw bad("tcp: needs HOST:PORT, e.g. tcp:127.0.0.1:7000 or tcp:[::1]:7000");
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < minPort || port > 65535)
    throw bad(
      `tcp: port ${JSON.stringify(portText)} is not an integer ${minPort}…65535${minPort === 0 ? " (0 = any free port)" : ""}`,
    );
  return { kind: "tcp", host, port };
}

export interface OpenBoardStreamOptions {
  /** For `sim`: gets the board side of an in-memory pair (start the board simulator on it). */
  simulator?: (boardSide: BoardStream) => void;
  /** For tcp/unix: give up connecting after this long (ms, default 5000). */
  connectTimeoutMs?: number;
}

/** A board stream; `pid` is set for `stdio:` (the `/bin/sh` that runs CMD). */
export type OpenedBoardStream = BoardStream & { readonly pid?: number };

/** Open the transport of a `--board` spec. Rejects with {@link BoardError} "bad-spec" or "open-failed". */
export async function openBoardStream(
  spec: string | BoardSpec,
  opts: OpenBoardStreamOptions = {},
): Promise<OpenedBoardStream> {
  const s = typeof spec === "string" ? parseBoardSpec(spec) : spec;
  switch (s.kind) {
    case "sim": {
      if (!opts.simulator)
        throw new BoardError("bad-spec", "--board sim: no in-process board simulator was given to attach");
      const [host, board] = createBoardStreamPair();
      opts.simulator(board);
      return host;
    }
    case "stdio":
      return openStdio(s.command);
    case "serial":
      return openSerial(s.path, s.baud);
    case "tcp":
    case "unix": {
      const where = s.kind === "tcp" ? `tcp:${s.host}:${s.port}` : `unix:${s.path}`;
      const socket = connect(s.kind === "tcp" ? { host: s.host, port: s.port } : { path: s.path });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.destroy();
          reject(
            new BoardError(
              "open-failed",
              `--board ${where}: no connection within ${opts.connectTimeoutMs ?? 5000} ms`,
            ),
          );
        }, opts.connectTimeoutMs ?? 5000);
        socket.once("connect", () => {
          clearTimeout(timer);
          resolve();
        });
        socket.once("error", (err) => {
          clearTimeout(timer);
          reject(new BoardError("open-failed", `--board ${where}: ${err.message}`, { cause: err }));
        });
      });
      return socketBoardStream(socket);
    }
  }
}

/** Wrap a connected socket (host side, or the board side of a board simulator listening on TCP/unix). */
export function socketBoardStream(socket: Socket): BoardStream {
  let lastError: Error | undefined;
  // Lines written in one turn of the event loop leave in one write (one system call): cork on the first,
  // uncork once the turn's work is done.
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  const core = createBoardStreamCore({
    write(chunk) {
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      socket.write(chunk);
    },
    close() {
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    },
  });
  socket.on("data", (d: Buffer) => core.data(d));
  socket.on("error", (err) => {
    lastError = err;
  });
  socket.on("close", () =>
    core.end(lastError ? { reason: lastError.message, error: lastError } : { reason: "socket closed" }),
  );
  return core.stream;
}

/** How long a board process may take to exit after SIGTERM before SIGKILL (ms). Design choice. */
const KILL_GRACE_MS = 1000;

async function openStdio(command: string): Promise<OpenedBoardStream> {
  const child: ChildProcess = spawn("/bin/sh", ["-c", command], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (err) =>
      reject(new BoardError("open-failed", `--board stdio:${command}: ${err.message}`, { cause: err })),
    );
  });
  const { stdin, stdout } = child;
  if (!stdin || !stdout) throw new BoardError("open-failed", `--board stdio:${command}: no stdio pipes`);
  const core = createBoardStreamCore({
    write: (chunk) => stdin.write(chunk),
    close() {
      stdin.end();
      // By the child's own PID: first SIGTERM, then SIGKILL if it is still there.
      // The timer keeps this process alive until the child is gone, so no frozen board outlives its host.
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const kill = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }, KILL_GRACE_MS);
      child.once("exit", () => clearTimeout(kill));
    },
  });
  const ioError = (what: string) => (err: Error) =>
    core.end({ reason: `board process ${what}: ${err.message}`, error: err });
  stdout.on("data", (d: Buffer) => core.data(d));
  stdin.on("error", ioError("stdin"));
  stdout.on("error", ioError("stdout"));
  child.on("error", ioError("error"));
  child.on("exit", (code, signal) => {
    const reason = signal ? `board process killed by ${signal}` : `board process exited with code ${code}`;
    // Deliver what the board wrote last: wait for the end of its stdout, but not for a grandchild holding it.
    if (stdout.readableEnded) core.end({ reason });
    else {
      const t = setTimeout(() => core.end({ reason }), 50);
      stdout.once("end", () => {
        clearTimeout(t);
        core.end({ reason });
      });
    }
  });
  return Object.assign(core.stream, { pid: child.pid });
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: 5000 }, (err, _out, stderr) =>
      err ? reject(Object.assign(err, { message: `${err.message.trim()} ${stderr}`.trim() })) : resolve(),
    ),
  );
}

/**
 * Serial device: `stty -F DEV BAUD raw -echo` when a baud is given, then the device opened with node:fs.
 * A tty is read through node:tty (non-blocking, so closing never leaves a read hanging in the thread pool);
 * any other character device through an fs read stream. Writes go through an fs write stream.
 */
async function openSerial(path: string, baud: number | undefined): Promise<OpenedBoardStream> {
  const where = `--board serial:${path}${baud ? `@${baud}` : ""}`;
  if (baud !== undefined) {
    try {
      await run("stty", ["-F", path, String(baud), "raw", "-echo"]);
    } catch (err) {
      throw new BoardError("open-failed", `${where}: stty failed: ${(err as Error).message}`, { cause: err });
    }
  }
  let fd: number;
  try {
    fd = openSync(path, fsc.O_RDWR | fsc.O_NOCTTY);
  } catch (err) {
    throw new BoardError("open-failed", `${where}: ${(err as Error).message}`, { cause: err });
  }
  let outFd: number;
  try {
    outFd = openSync(path, fsc.O_WRONLY | fsc.O_NOCTTY);
  } catch (err) {
    closeSync(fd);
    throw new BoardError("open-failed", `${where}: ${(err as Error).message}`, { cause: err });
  }
  const input = isatty(fd) ? new TtyReadStream(fd) : createReadStream("", { fd, highWaterMark: 4096 });
  const output = createWriteStream("", { fd: outFd });
  const core = createBoardStreamCore({
    write: (chunk) => output.write(chunk),
    close() {
      output.end();
      input.destroy();
    },
  });
  input.on("data", (d: Buffer | string) => core.data(d));
  input.on("error", (err: Error) => core.end({ reason: `serial read: ${err.message}`, error: err }));
  output.on("error", (err) => core.end({ reason: `serial write: ${err.message}`, error: err }));
  input.on("end", () => core.end({ reason: "serial device closed" }));
  input.on("close", () => core.end({ reason: "serial device closed" }));
  return core.stream;
}
