/**
 * A stand-in dashboard host for developing and testing the app without `nacs dashboard`: serves
 * dist/dashboard/, `GET /api/info`, and the `/ws` WebSocket of the host ↔ app contract (RFC 6455 text
 * frames, just enough of it: one frame per message, no fragmentation, no extensions), replaying a session
 * record in (scaled) real time: hello, the events so far, batches every 50 ms, then `end`. Control frames
 * are answered `ok` ("fake: LINE"); `emergency_stop` adds a trip and an output-off event. Loopback only.
 *   npx tsx dashboard/e2e/fake-host.ts RECORD.ndjson [--port N] [--speed X]
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { extname, join } from "node:path";
import { parseRecordText } from "../src/model/record-parse.js";
import { builtFile } from "./browser.js";

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const BATCH_MS = 50;

/** One unmasked text frame (RFC 6455 §5.2). */
function textFrame(s: string): Buffer {
  const body = Buffer.from(s, "utf8");
  const n = body.length;
  const head = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    head[0] = 0x81;
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    head[0] = 0x81;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, body]);
}

/** Split masked client frames off `buf`; returns [texts, rest, closed]. */
function readFrames(buf: Buffer): [string[], Buffer, boolean] {
  const out: string[] = [];
  let off = 0;
  for (let guard = 0; guard < 10000 && buf.length - off >= 2; guard++) {
    const op = buf[off]! & 0x0f;
    let len = buf[off + 1]! & 0x7f;
    let p = off + 2;
    if (len === 126) {
      if (buf.length - p < 2) break;
      len = buf.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      if (buf.length - p < 8) break;
      len = Number(buf.readBigUInt64BE(p));
      p += 8;
    }
    if (buf.length - p < 4 + len) break;
    const mask = buf.subarray(p, p + 4);
    const data = Buffer.from(buf.subarray(p + 4, p + 4 + len));
    for (let i = 0; i < data.length; i++) data[i] = data[i]! ^ mask[i & 3]!;
    off = p + 4 + len;
    if (op === 8) return [out, Buffer.alloc(0), true];
    if (op === 1) out.push(data.toString("utf8"));
  }
  return [out, buf.subarray(off), false];
}

export interface FakeHost {
  url: string;
  close(): void;
}

export function startFakeHost(
  recordText: string,
  opts: { port?: number; speed?: number } = {},
): Promise<FakeHost> {
  const events = parseRecordText(recordText);
  const speed = opts.speed ?? 1;
  const root = builtFile("");
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const srv = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path === "/api/info") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ command: "simulate", live: true, roles: ["evse", "ev"], version: "fake" }));
      return;
    }
    const file = join(root, path === "/" ? "index.html" : path);
    if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  srv.on("upgrade", (req: IncomingMessage, socket: Socket) => {
    const key = req.headers["sec-websocket-key"];
    if (req.url !== "/ws" || typeof key !== "string") {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const accept = createHash("sha1")
      .update(key + WS_GUID)
      .digest("base64");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const send = (o: unknown) => socket.writable && socket.write(textFrame(JSON.stringify(o)));
    send({
      kind: "hello",
      command: "simulate",
      live: true,
      roles: ["evse", "ev"],
      commands: {
        evse: "commands: emergency_stop, fault NAME",
        ev: "commands: pause, resume, set_target_soc N",
      },
    });
    const t0 = Date.now();
    let next = 0;
    let extra: { t: number; type: string; [k: string]: unknown }[] = [];
    const tick = () => {
      const now = ((Date.now() - t0) / 1000) * speed;
      const batch: unknown[] = [];
      while (next < events.length && events[next]!.t <= now) batch.push(events[next++]);
      if (extra.length > 0 && (next >= events.length || events[next]!.t >= extra[0]!.t)) {
        batch.push(...extra);
        extra = [];
      }
      if (batch.length > 0) send({ kind: "events", events: batch });
      if (next >= events.length) {
        send({ kind: "end" });
        return;
      }
      const tm = setTimeout(tick, BATCH_MS);
      timers.add(tm);
    };
    tick();
    let buf: Buffer = Buffer.alloc(0);
    socket.on("data", (d: Buffer) => {
      const [texts, rest, closed] = readFrames(Buffer.concat([buf, d]));
      buf = rest;
      for (const text of texts) {
        let f: { kind?: string; id?: number; role?: string; line?: string };
        try {
          f = JSON.parse(text);
        } catch {
          send({ kind: "error", error: "frame: not JSON" });
          continue;
        }
        if (f.kind !== "control" || typeof f.id !== "number" || typeof f.line !== "string") {
          send({ kind: "error", error: "frame: expected a control frame {kind, id, role, line}" });
          continue;
        }
        if (f.line === "emergency_stop") {
          const t = next > 0 ? events[next - 1]!.t : 0;
          extra.push({ t, type: "trip", fault: "emergency-stop", reason: "emergency stop", detail: "" });
          extra.push({ t, type: "off", fault: "emergency-stop", latencyMs: 1, inputToOffMs: 2 });
        }
        send({ kind: "control-result", id: f.id, ok: true, did: `fake: ${f.line}` });
      }
      if (closed) socket.end();
    });
  });
  return new Promise((ok) =>
    srv.listen(opts.port ?? 0, "127.0.0.1", () =>
      ok({
        url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`,
        close: () => {
          for (const t of timers) clearTimeout(t);
          for (const s of sockets) s.destroy();
          srv.close();
        },
      }),
    ),
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: fake-host.ts RECORD.ndjson [--port N] [--speed X]");
    process.exit(2);
  }
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const h = await startFakeHost(readFileSync(file, "utf8"), {
    ...(arg("--port") !== undefined ? { port: arg("--port")! } : {}),
    speed: arg("--speed") ?? 1,
  });
  console.log(`fake dashboard host on ${h.url}`);
}
