/**
 * The simulated world served to hosts that connect over TCP or a unix socket (`nacs board-sim --listen`,
 * the host of a shared world). Connections may come and go; the first valid `hello` of a connection names
 * its role, and each role has at most one live host at a time (design choice: one cable, one controller
 * per side). A connection serves one host session: when its host is lost or says bye it is closed. Node-only.
 */
import { existsSync, lstatSync, unlinkSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import { parseSocketSpec, socketBoardStream } from "../../link/board/adapters.js";
import { BoardError } from "../../link/board/errors.js";
import { createLineSplitter } from "../../link/board/line-splitter.js";
import { BOARD_PROTOCOL_VERSION, BOARD_ROLES, type BoardRole } from "../../link/board/messages.js";
import { encodeBoardMessage } from "../../link/board/protocol.js";
import { type BoardStream, createBoardStreamCore } from "../../link/board/stream.js";
import { type LinkLogger, silentLogger } from "../../link/logger.js";
import type { Clock } from "../../machine/index.js";
import type { DcWorld } from "../dc/world.js";
import { serveWorldRole, type WorldRoleServer } from "./world-server.js";

/** A parsed `--listen` value. */
export type ListenSpec = { kind: "unix"; path: string } | { kind: "tcp"; host: string; port: number };
/** The accepted forms, for help texts and error messages. */
export const LISTEN_SPEC_FORMS = "unix:PATH | tcp:HOST:PORT";
/** A connection must say hello within this time (ms). Design choice: twice the host's 5 s hello timeout. */
export const WORLD_HELLO_WAIT_MS = 10_000;
/** Bytes kept from a connection while waiting for its hello. Design choice: four maximum-length lines. */
const HELLO_BUFFER_MAX = 16_384;

/** Parse a `--listen` value; throws {@link BoardError} "bad-spec" naming the value and the rule. */
export function parseListenSpec(spec: string): ListenSpec {
  const bad = (rule: string) =>
    new BoardError("bad-spec", `--listen ${JSON.stringify(spec)}: ${rule} (expected ${LISTEN_SPEC_FORMS})`);
  for (const kind of ["unix", "tcp"] as const)
    if (spec.startsWith(`${kind}:`)) return parseSocketSpec(kind, spec.slice(kind.length + 1), bad, 0);
  throw bad("unknown transport");
}

/** Options of {@link startWorldServer}. */
export interface WorldServerOptions {
  listen: string | ListenSpec;
  world: DcWorld;
  clock: Clock;
  /** Roles served here (default both); a hello for another role is refused. */
  roles?: readonly BoardRole[];
  /** Board name in the hello (default "nacs board-sim"). */
  name?: string;
  logger?: LinkLogger;
  /** Why a role not served here is refused (appended to the error message). */
  refusedHint?: string;
  helloWaitMs?: number;
  heartbeatLimitMs?: number;
  /** A host of `role` said hello and is served now. */
  onHost?(role: BoardRole): void;
}

/** A listening world server. */
export interface WorldServer {
  /** Where it listens: `unix:PATH` or `tcp:HOST:PORT` (the real port when 0 was asked for). */
  readonly address: string;
  /** The role servers with a live host right now. */
  readonly live: Readonly<Partial<Record<BoardRole, WorldRoleServer<BoardRole>>>>;
  /** Serve a connection that arrived another way (a board mux channel) as if it had connected here. */
  accept(stream: BoardStream): void;
  /** Stop listening and close every connection (their hosts' links report lost). */
  close(): Promise<void>;
}

/** Listen for hosts and serve them the world. Rejects with {@link BoardError} "open-failed" (cause: the errno). */
export async function startWorldServer(o: WorldServerOptions): Promise<WorldServer> {
  const spec = typeof o.listen === "string" ? parseListenSpec(o.listen) : o.listen;
  const log = o.logger ?? silentLogger;
  const roles = o.roles ?? BOARD_ROLES;
  const live: Partial<Record<BoardRole, WorldRoleServer<BoardRole>>> = {};
  const sockets = new Set<Socket>();
  const serving = new Set<WorldRoleServer<BoardRole>>();
  const where = spec.kind === "unix" ? `unix:${spec.path}` : `tcp:${spec.host}:${spec.port}`;

  const refuse = (stream: BoardStream, message: string): void => {
    log.warn({}, `sim board: connection refused: ${message}`);
    stream.write(encodeBoardMessage({ v: BOARD_PROTOCOL_VERSION, seq: 0, type: "error", message }));
    stream.close();
  };
  const onRole = (role: BoardRole, stream: BoardStream): void => {
    const refused = !roles.includes(role)
      ? `this simulated world serves only ${roles.join(" and ")} here${o.refusedHint ?? ""}`
      : live[role]
        ? `the ${role} side of this simulated world already has a live host`
        : null;
    if (refused) {
      refuse(stream, refused);
      return;
    }
    const rs = serveWorldRole(o.world, role, stream, {
      clock: o.clock,
      name: o.name ?? "nacs board-sim",
      logger: log,
      ...(o.heartbeatLimitMs !== undefined && { heartbeatLimitMs: o.heartbeatLimitMs }),
    });
    live[role] = rs;
    serving.add(rs);
    o.onHost?.(role);
    const release = (): void => {
      if (live[role] === rs) delete live[role];
    };
    // One host session per connection: a lost host or a bye ends it.
    rs.onHostLost(() => {
      release();
      rs.close();
    });
    void rs.ended.then(() => {
      release();
      serving.delete(rs);
    });
  };

  if (spec.kind === "unix") await claimUnixSocketPath(spec.path, `--listen ${where}`);
  const accept = (stream: BoardStream): void =>
    awaitHello(stream, o.clock, o.helloWaitMs ?? WORLD_HELLO_WAIT_MS, onRole, refuse);
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    accept(socketBoardStream(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new BoardError("open-failed", `--listen ${where}: ${err.message}`, { cause: err })),
    );
    if (spec.kind === "unix") server.listen(spec.path, resolve);
    else server.listen(spec.port, spec.host, resolve);
  });
  server.on("error", (err) => log.error({}, `sim board: listener: ${err.message}`));
  const a = server.address();
  const address =
    spec.kind === "unix" || a === null || typeof a === "string"
      ? where
      : `tcp:${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
  log.debug({ address, roles }, "sim board: listening");

  return {
    address,
    live,
    accept,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const rs of [...serving]) rs.close();
      for (const s of sockets) {
        s.end();
        setImmediate(() => s.destroy());
      }
      await closed;
    },
  };
}

/**
 * Read a new connection until its first `hello` names a role, then hand over a stream that replays
 * everything read so far. Gives up (closing the connection) after `waitMs` or {@link HELLO_BUFFER_MAX} bytes.
 */
function awaitHello(
  raw: BoardStream,
  clock: Clock,
  waitMs: number,
  onRole: (role: BoardRole, stream: BoardStream) => void,
  refuse: (stream: BoardStream, message: string) => void,
): void {
  const kept: (Uint8Array | string)[] = [];
  let size = 0;
  let target: ReturnType<typeof createBoardStreamCore> | null = null;
  let done = false;
  const timer = clock.setTimeout(() => {
    if (!done) {
      done = true;
      refuse(raw, `no valid hello within ${waitMs} ms`);
    }
  }, waitMs);
  const decide = (role: BoardRole): void => {
    done = true;
    clock.clearTimeout(timer);
    // a shared transport's liveness (a board mux) stays with the stream
    const core = createBoardStreamCore({ write: (c) => raw.write(c), close: () => raw.close() }, raw.shared);
    raw.onClose((e) => core.end(e));
    target = core;
    onRole(role, core.stream);
    // Replayed once the endpoint listens (a stream hands queued data over inside `onData`).
    for (const c of kept.splice(0)) core.data(c);
  };
  const splitter = createLineSplitter({
    onLine(line) {
      if (done) return;
      try {
        const m = JSON.parse(line) as { type?: unknown; role?: unknown };
        if (m.type === "hello" && (BOARD_ROLES as readonly unknown[]).includes(m.role))
          decide(m.role as BoardRole);
      } catch {
        // not JSON: the endpoint answers it once the role is known
      }
    },
    onError() {},
  });
  raw.onData((chunk) => {
    if (target) {
      target.data(chunk);
      return;
    }
    if (done) return;
    kept.push(chunk);
    size += typeof chunk === "string" ? chunk.length : chunk.byteLength;
    if (size > HELLO_BUFFER_MAX) {
      done = true;
      clock.clearTimeout(timer);
      refuse(raw, `no valid hello in the first ${HELLO_BUFFER_MAX} bytes`);
      return;
    }
    splitter.push(chunk);
  });
  raw.onClose(() => {
    if (!done) {
      done = true;
      clock.clearTimeout(timer);
    }
  });
}

/** What connecting to a unix socket path found. */
export type UnixProbe =
  | { kind: "listening"; socket: Socket }
  | { kind: "absent" }
  | { kind: "stale"; ino: number };

/**
 * Try to connect to the unix socket `path`: a listener accepts ("listening"), nothing is there ("absent",
 * ENOENT) or a socket file nobody listens on ("stale", ECONNREFUSED). Other errors reject.
 */
export function probeUnixSocket(path: string, timeoutMs = 2000): Promise<UnixProbe> {
  let ino: number | null = null;
  try {
    const st = lstatSync(path);
    if (!st.isSocket())
      return Promise.reject(new BoardError("open-failed", `${path}: exists and is not a socket`));
    ino = st.ino;
  } catch {
    return Promise.resolve({ kind: "absent" });
  }
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new BoardError("open-failed", `unix:${path}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve({ kind: "listening", socket });
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === "ENOENT") resolve({ kind: "absent" });
      else if (err.code === "ECONNREFUSED") resolve({ kind: "stale", ino: ino ?? -1 });
      else reject(new BoardError("open-failed", `unix:${path}: ${err.message}`, { cause: err }));
    });
  });
}

/**
 * Make `path` free to listen on: a socket file left by a process that died is removed; a live listener is
 * not disturbed, and a {@link BoardError} "open-failed" (cause EADDRINUSE) names `what`. A folder that does
 * not exist is named as such (cause ENOENT), not as the `listen EACCES` the system reports for it.
 */
export async function claimUnixSocketPath(path: string, what: string): Promise<void> {
  const dir = dirname(path);
  if (!existsSync(dir)) {
    const cause = Object.assign(new Error(`ENOENT: no such folder ${dir}`), { code: "ENOENT" });
    throw new BoardError("open-failed", `${what}: no folder ${dir} (create it first)`, { cause });
  }
  const probe = await probeUnixSocket(path);
  if (probe.kind === "stale") removeStaleSocket(path, probe.ino);
  if (probe.kind === "listening") {
    probe.socket.destroy();
    const cause = Object.assign(new Error(`listen EADDRINUSE: ${path}`), { code: "EADDRINUSE" });
    throw new BoardError("open-failed", `${what}: another process already listens there`, { cause });
  }
}

/** Remove a stale socket file, unless another process replaced it since it was probed (inode changed). */
export function removeStaleSocket(path: string, ino: number): void {
  try {
    const st = lstatSync(path);
    if (st.isSocket() && st.ino === ino) unlinkSync(path);
  } catch {
    // gone already
  }
}
