/**
 * The dashboard host: Node `http` serving the app's static files (`dist/dashboard/`), `GET /api/info`, and
 * the WebSocket at `/ws` (RFC 6455, the `ws` package) carrying the hub's events to the app and control
 * lines back. Bound to 127.0.0.1 unless told otherwise. A bad request or frame gets an answer naming what
 * is wrong and never ends the server.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { type WebSocket, WebSocketServer } from "ws";
import type { OperatorResult } from "../operator.js";
import { fallbackPage } from "./fallback-page.js";
import type { EventHub } from "./hub.js";
import {
  type ControlRole,
  type DashboardCommand,
  type DashboardInfo,
  parseClientFrame,
  type ServerFrame,
} from "./protocol.js";
import { fillOfflineReport, ReportError } from "./report.js";
import { contentTypeOf, defaultAppDir, packageVersion, resolveStatic } from "./static.js";

/** Default port of `nacs dashboard` / `--ui` without a port. */
export const DASHBOARD_DEFAULT_PORT = 8080;
/** Default bind address: loopback only. */
export const DASHBOARD_DEFAULT_HOST = "127.0.0.1";
/** Largest client frame accepted (bytes); control frames are tiny. */
export const DASHBOARD_MAX_FRAME = 64 * 1024;

/** Carries out one control line for one side. */
export type ControlHandler = (role: ControlRole, line: string) => OperatorResult | Promise<OperatorResult>;
/** Runs one scenario file (its name says the format). */
export type ScenarioHandler = (name: string, text: string) => OperatorResult | Promise<OperatorResult>;

/** Server options. */
export interface DashboardServerOptions {
  hub: EventHub;
  command: DashboardCommand;
  live: boolean;
  /** Sides that accept control lines (through `control`). */
  roles: ControlRole[];
  /** Help text of the control words per side (the control channel's `help`). */
  commands: Record<ControlRole, string>;
  control?: ControlHandler;
  /** Scenario files from the app (`scenario` frames); without it they are refused. */
  scenario?: ScenarioHandler;
  /** Where the built app is (default `dist/dashboard/` of the package). */
  appDir?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
}

/** A running dashboard server. */
export interface DashboardServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly appBuilt: boolean;
  close(): Promise<void>;
}

/** Start the server; resolves once it listens. */
export async function startDashboardServer(o: DashboardServerOptions): Promise<DashboardServer> {
  const appDir = o.appDir ?? defaultAppDir();
  const info: DashboardInfo = { command: o.command, live: o.live, roles: o.roles, version: packageVersion() };
  const http = createServer((req, res) => {
    try {
      serveHttp(req, res, appDir, info, o.hub);
    } catch (e) {
      if (!res.headersSent)
        send(res, 500, "text/plain; charset=utf-8", `internal error: ${(e as Error).message}`);
      else res.destroy();
    }
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: DASHBOARD_MAX_FRAME });
  const sockets = new Set<WebSocket>();
  http.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/ws") return refuse(socket, 404, "Not Found");
    if (!sameOrigin(req)) return refuse(socket, 403, "Forbidden");
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("close", () => sockets.delete(ws));
      onSocket(ws, o);
    });
  });
  const host = o.host ?? DASHBOARD_DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(o.port ?? DASHBOARD_DEFAULT_PORT, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    host,
    port,
    appBuilt: existsSync(join(appDir, "index.html")),
    close: () => closeServer(http, wss, sockets),
  };
}

function serveHttp(
  req: IncomingMessage,
  res: ServerResponse,
  appDir: string,
  info: DashboardInfo,
  hub: EventHub,
): void {
  const r = answerHttp(req, appDir, info, hub);
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  send(res, r.code, r.type, r.body);
}

/** What a GET / HEAD request is answered with. */
function answerHttp(
  req: IncomingMessage,
  appDir: string,
  info: DashboardInfo,
  hub: EventHub,
): { code: number; type: string; body: string | Buffer; headers?: Record<string, string> } {
  const text = "text/plain; charset=utf-8";
  if (req.method !== "GET" && req.method !== "HEAD")
    return {
      code: 405,
      type: text,
      body: "method not allowed: GET or HEAD only\n",
      headers: { Allow: "GET, HEAD" },
    };
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (path === "/api/info")
    return { code: 200, type: "application/json; charset=utf-8", body: JSON.stringify(info) };
  if (path === "/report.html") return report(appDir, info, hub);
  if ((path === "/" || path === "/index.html") && !existsSync(join(appDir, "index.html")))
    return { code: 200, type: "text/html; charset=utf-8", body: fallbackPage(appDir) };
  const r = resolveStatic(appDir, path === "/" ? "/index.html" : path);
  if (r.ok) return { code: 200, type: contentTypeOf(r.file), body: readFileSync(r.file) };
  const code = r.why === "not-found" ? 404 : r.why === "outside" ? 403 : 400;
  return { code, type: text, body: `${code === 404 ? "not found" : `refused (${r.why})`}: ${path}\n` };
}

/** `GET /report.html`: the app's offline.html with this host's record so far (a one-file report). */
function report(
  appDir: string,
  info: DashboardInfo,
  hub: EventHub,
): { code: number; type: string; body: string; headers?: Record<string, string> } {
  const file = join(appDir, "offline.html");
  if (!existsSync(file))
    return { code: 404, type: "text/plain; charset=utf-8", body: `no report: ${file} is not built\n` };
  try {
    return {
      code: 200,
      type: "text/html; charset=utf-8",
      body: fillOfflineReport(readFileSync(file, "utf8"), hub.history()),
      headers: { "Content-Disposition": `attachment; filename="nacs-${info.command}-report.html"` },
    };
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    return { code: 500, type: "text/plain; charset=utf-8", body: `no report: ${e.message}\n` };
  }
}

function send(res: ServerResponse, code: number, type: string, body: string | Buffer): void {
  res.writeHead(code, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
  });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function refuse(socket: Socket, code: number, text: string): void {
  socket.end(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * A browser page may only open the socket from this server's own origin (RFC 6455 §10.2: the server checks
 * Origin): another site in the same browser must not send control lines. Clients without Origin (not a
 * browser) are let in.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function onSocket(ws: WebSocket, o: DashboardServerOptions): void {
  const out = (f: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(f));
  };
  ws.on("error", () => ws.terminate());
  out({
    kind: "hello",
    command: o.command,
    live: o.live,
    roles: o.roles,
    commands: o.commands,
    scenarios: o.scenario !== undefined,
  });
  // the history comes first, in one frame or more (an empty history is one empty frame), then any `end`
  let sent = false;
  let subscribing = true;
  let endDue = false;
  const unsubscribe = o.hub.subscribe({
    events: (events) => {
      sent = true;
      out({ kind: "events", events });
    },
    end: () => {
      if (subscribing) endDue = true;
      else out({ kind: "end" });
    },
  });
  subscribing = false;
  if (!sent) out({ kind: "events", events: [] });
  if (endDue) out({ kind: "end" });
  ws.on("close", unsubscribe);
  ws.on("message", (data, isBinary) => {
    if (isBinary) return out({ kind: "error", error: "frame: must be a JSON text frame, not binary" });
    const p = parseClientFrame(String(data));
    if (!p.ok) return out({ kind: "error", error: p.error });
    const f = p.frame;
    const id = f.id;
    const answer = (r: OperatorResult) =>
      out(
        r.ok
          ? { kind: "control-result", id, ok: true, did: r.did }
          : { kind: "control-result", id, ok: false, error: r.error },
      );
    const fail = (e: unknown) => answer({ ok: false, error: (e as Error)?.message ?? String(e) });
    if (f.kind === "scenario") {
      if (!o.scenario)
        return answer({
          ok: false,
          error: "scenario: this host runs no scenario files (nacs simulate --ui does)",
        });
      const run = o.scenario;
      Promise.resolve()
        .then(() => run(f.name, f.text))
        .then(answer, fail);
      return;
    }
    const { role, line } = f;
    if (!o.control || !o.roles.includes(role))
      return answer({
        ok: false,
        error: `role ${role}: takes no control lines here (${o.roles.length ? `roles: ${o.roles.join(", ")}` : "no live session"})`,
      });
    Promise.resolve()
      .then(() => o.control?.(role, line) ?? { ok: false as const, error: "no control channel" })
      .then(answer, fail);
  });
}

async function closeServer(http: Server, wss: WebSocketServer, sockets: Set<WebSocket>): Promise<void> {
  for (const ws of sockets) ws.terminate();
  await new Promise<void>((r) => wss.close(() => r()));
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
}
