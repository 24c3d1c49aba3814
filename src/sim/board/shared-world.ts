/**
 * One simulated cable shared by two processes (`nacs evse --board sim` and `nacs ev --board sim`), even
 * in two network namespaces: a unix socket in the file system is the meeting point, and the first process
 * to arrive hosts the world (design choice, "first one hosts"). The host runs its own side in-process and
 * serves the other side over the board protocol; the second process joins as a protocol host.
 * Node-only.
 */

import type { Socket } from "node:net";
import { socketBoardStream } from "../../link/board/adapters.js";
import { type BoardLink, createBoardLink } from "../../link/board/board-link.js";
import { BoardError } from "../../link/board/errors.js";
import type { BoardRole, HostHelloSim } from "../../link/board/messages.js";
import type { BoardStream } from "../../link/board/stream.js";
import {
  type EvBoardPort,
  type EvseBoardPort,
  evBoardLinkPort,
  evseBoardLinkPort,
} from "../../link/host/board-port.js";
import { type LinkLogger, silentLogger } from "../../link/logger.js";
import type { Clock } from "../../machine/index.js";
import type { DcWorld } from "../dc/world.js";
import { probeUnixSocket, removeStaleSocket, startWorldServer, type WorldServer } from "./listen.js";
import { withHelloSim } from "./sim-settings.js";
import { worldEvBoardPort, worldEvseBoardPort } from "./world-port.js";

/** The board port type of a role. */
export type BoardPortOf<R extends BoardRole> = R extends "evse" ? EvseBoardPort : EvBoardPort;

/** Options of {@link joinSharedWorld}. */
export interface JoinSharedWorldOptions<R extends BoardRole> {
  /** The unix socket path both processes use. */
  path: string;
  role: R;
  clock: Clock;
  /** Builds the world when this process hosts it (with this process's module / battery / SOC). */
  world: () => DcWorld;
  /** When joining: settings sent in the hello `sim` field, applied by the host before plug-in. */
  sim?: HostHelloSim;
  /** Host identification in the hello (default "nacs"). */
  host?: string;
  logger?: LinkLogger;
  /** Connect / listen attempts when both processes start at once (default 5). */
  attempts?: number;
}

/** A process's place in a shared world. */
export interface SharedWorld<R extends BoardRole> {
  /** The board for this process's role: in-process when hosting, over the socket when joining. */
  port: BoardPortOf<R>;
  /** This process created the world and serves the other side. */
  hosting: boolean;
  /** The world, when hosting. */
  world: DcWorld | null;
  /** Hosting: serve the other side's host arriving over another stream (a board mux channel). */
  accept: ((stream: BoardStream) => void) | null;
  /** Host: stop serving (the other process's board is lost) and stop the world. Joiner: bye. */
  close(): Promise<void>;
}

const other = (r: BoardRole): BoardRole => (r === "evse" ? "ev" : "evse");

/** Join the world behind `path`, or host it if nobody does yet. Rejects with a {@link BoardError}. */
export async function joinSharedWorld<R extends BoardRole>(
  o: JoinSharedWorldOptions<R>,
): Promise<SharedWorld<R>> {
  const attempts = o.attempts ?? 5;
  const log = o.logger ?? silentLogger;
  for (let attempt = 1; ; attempt++) {
    const probe = await probeUnixSocket(o.path);
    if (probe.kind === "listening") {
      log.info({ path: o.path, role: o.role }, "shared sim: joining the world hosted there");
      return join(o, probe.socket);
    }
    if (probe.kind === "stale") removeStaleSocket(o.path, probe.ino);
    const world = o.world();
    let server: WorldServer;
    try {
      server = await startWorldServer({
        listen: { kind: "unix", path: o.path },
        world,
        clock: o.clock,
        roles: [other(o.role)],
        name: `nacs shared sim (pid ${process.pid})`,
        refusedHint: `; the ${o.role} side is run by the process that hosts it (pid ${process.pid})`,
        logger: log,
      });
    } catch (err) {
      world.stop();
      const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code !== "EADDRINUSE" || attempt >= attempts) throw err;
      // Both started at once and the other one listens first: join it after a short, jittered pause.
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
      continue;
    }
    log.info({ path: o.path, role: o.role }, "shared sim: hosting the world");
    const port = (
      o.role === "evse" ? worldEvseBoardPort(world) : worldEvBoardPort(world, { plugOnAttach: true })
    ) as BoardPortOf<R>;
    return {
      port,
      hosting: true,
      world,
      accept: (stream) => server.accept(stream),
      async close() {
        await port.close();
        await server.close();
        world.stop();
      },
    };
  }
}

async function join<R extends BoardRole>(
  o: JoinSharedWorldOptions<R>,
  socket: Socket,
): Promise<SharedWorld<R>> {
  return joinSharedWorldOver(o, socketBoardStream(socket), `unix:${o.path}`);
}

/**
 * Join a world hosted by another process over `raw` (its socket, or a board mux channel named `where`).
 * Rejects with a {@link BoardError}.
 */
export async function joinSharedWorldOver<R extends BoardRole>(
  o: Omit<JoinSharedWorldOptions<R>, "path" | "world" | "attempts">,
  raw: BoardStream,
  where: string,
): Promise<SharedWorld<R>> {
  const stream = o.sim ? withHelloSim(raw, o.sim) : raw;
  // The world's state follows the hello at once; the link keeps it until the controller attaches.
  const link = createBoardLink({
    role: o.role,
    stream,
    timers: o.clock,
    host: o.host ?? "nacs",
    ...(o.logger && { logger: o.logger }),
  }) as BoardLink<BoardRole>;
  let boardError: BoardError | null = null;
  const off = link.onError((e) => {
    if (e.code === "board-error") boardError = e;
  });
  let capabilities: readonly string[] = [];
  try {
    capabilities = (await link.ready).capabilities ?? [];
  } catch (err) {
    const why = (boardError as BoardError | null)?.message ?? (err as Error).message;
    throw new BoardError("open-failed", `shared sim ${where}: ${why}`, { cause: err });
  } finally {
    off();
  }
  const name = `sim (${where})`;
  const now = () => o.clock.now();
  const port =
    o.role === "evse"
      ? evseBoardLinkPort(link as BoardLink<"evse">, name, now)
      : evBoardLinkPort(link as BoardLink<"ev">, name, now, capabilities);
  return {
    port: port as BoardPortOf<R>,
    hosting: false,
    world: null,
    accept: null,
    close: () => port.close(),
  };
}
