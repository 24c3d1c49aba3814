/**
 * Real TCP under a simulated V2G connection (`nacs simulate --transport tcp`): every logical connection
 * of the simulator gets its own TCP connection on [::1], and the V2GTP bytes each side writes cross the
 * loopback for real before the other side's deframer sees them. The simulator's virtual clock holds while
 * a connect or bytes are in flight (`busy()`), so the session is the same as over the in-memory pipe.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

/** Which side a chunk is for. */
export type CarrierSide = "evse" | "ev";

/** Byte transport for the simulator's V2G connections. */
export interface V2gCarrier {
  /** Open logical connection `conn` (a new TCP connection; the previous one, if any, is closed). */
  open(conn: number): void;
  /** Send `chunk` to side `to` over connection `conn`. */
  write(conn: number, to: CarrierSide, chunk: Uint8Array): void;
  /**
   * Side `from` closes connection `conn` gracefully (FIN after what it wrote); the other side learns it
   * through `onEnd` once everything before the FIN has arrived.
   */
  end(conn: number, from: CarrierSide): void;
  /** Reset connection `conn` (RST): nothing in flight arrives. */
  reset(conn: number): void;
  /** Bytes that arrived for side `to`. */
  onData(cb: (conn: number, to: CarrierSide, chunk: Uint8Array) => void): void;
  /** Side `to` saw the other side's FIN on connection `conn`. */
  onEnd(cb: (conn: number, to: CarrierSide) => void): void;
  /** A connect or bytes are in flight: the virtual clock must wait. */
  busy(): boolean;
  /** Errors (connect refused, socket error) stop the run with this message; null when none. */
  readonly error: string | null;
  readonly stats: { connections: number; bytes: number };
  close(): Promise<void>;
}

interface Pair {
  conn: number;
  ev: Socket | null;
  evse: Socket | null;
}

/** A carrier over TCP on [::1] (server on an OS-chosen port). */
export async function startTcpCarrier(): Promise<V2gCarrier> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "::1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  let pair: Pair | null = null;
  let pending = 0;
  let inFlight = 0;
  let error: string | null = null;
  let sink: (conn: number, to: CarrierSide, chunk: Uint8Array) => void = () => {};
  let endSink: (conn: number, to: CarrierSide) => void = () => {};
  /** The side that closed first, per connection, while its FIN is on the way. */
  let closing: { conn: number; from: CarrierSide } | null = null;
  const stats = { connections: 0, bytes: 0 };
  const accepted: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  server.on("connection", (s) => {
    const w = waiting.shift();
    if (w) w(s);
    else accepted.push(s);
  });
  const listen = (p: Pair, s: Socket, to: CarrierSide) => {
    s.setNoDelay(true);
    s.on("data", (d: Buffer) => {
      inFlight -= d.length;
      if (pair === p) sink(p.conn, to, new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    });
    s.on("end", () => {
      if (closing && closing.conn === p.conn && closing.from !== to) {
        closing = null;
        if (pair === p) endSink(p.conn, to);
      }
    });
    s.on("error", (e) => {
      if (pair === p) error ??= `tcp carrier: ${e.message}`;
    });
  };
  const shut = (p: Pair | null) => {
    p?.ev?.destroy();
    p?.evse?.destroy();
  };
  return {
    open(conn) {
      shut(pair);
      inFlight = 0;
      closing = null;
      const p: Pair = { conn, ev: null, evse: null };
      pair = p;
      stats.connections++;
      pending += 2;
      const ev = connect({ host: "::1", port, family: 6 }, () => {
        p.ev = ev;
        listen(p, ev, "ev");
        pending--;
      });
      ev.on("error", (e) => {
        error ??= `tcp carrier: connect [::1]:${port}: ${e.message}`;
      });
      const take = (s: Socket) => {
        p.evse = s;
        listen(p, s, "evse");
        pending--;
      };
      const s = accepted.shift();
      if (s) take(s);
      else waiting.push(take);
    },
    write(conn, to, chunk) {
      const p = pair;
      if (!p || p.conn !== conn) return;
      const from = to === "evse" ? p.ev : p.evse;
      if (!from || from.destroyed) return;
      inFlight += chunk.length;
      stats.bytes += chunk.length;
      from.write(chunk);
    },
    end(conn, from) {
      // A FIN after the data: bytes written before the close still arrive (as over any TCP connection).
      if (pair?.conn !== conn || closing) return;
      const s = from === "ev" ? pair.ev : pair.evse;
      if (!s || s.destroyed) return;
      closing = { conn, from };
      s.end();
    },
    reset(conn) {
      if (pair?.conn !== conn) return;
      shut(pair);
      pair = null;
      closing = null;
      inFlight = 0;
    },
    onData(cb) {
      sink = cb;
    },
    onEnd(cb) {
      endSink = cb;
    },
    busy: () => error === null && (pending > 0 || inFlight > 0 || closing !== null),
    get error() {
      return error;
    },
    stats,
    async close() {
      shut(pair);
      pair = null;
      for (const s of accepted) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
