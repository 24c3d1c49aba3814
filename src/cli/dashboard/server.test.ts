import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { parseNdjson, type RecordEvent } from "../../link/host/record.js";
import { createEventHub } from "./hub.js";
import { type DashboardServer, startDashboardServer } from "./server.js";
import { connectFrames } from "./ws-client.js";

/** GET a raw path (no client-side normalisation of dot segments). */
function get(
  port: number,
  path: string,
  method = "GET",
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      );
    });
    req.on("error", reject);
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

let dir: string;
let app: string;
let srv: DashboardServer;
const hub = createEventHub();
const controls: [string, string][] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "nacs-dash-"));
  app = join(dir, "app");
  mkdirSync(join(app, "assets"), { recursive: true });
  writeFileSync(join(app, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(app, "assets", "main-1.js"), "console.log(1)");
  writeFileSync(join(app, "assets", "main-1.css"), "body{}");
  writeFileSync(join(dir, "secret.txt"), "secret");
  writeFileSync(
    join(app, "offline.html"),
    '<!doctype html><body><script id="nacs-record" type="application/x-ndjson"></script></body>',
  );
  symlinkSync(join(dir, "secret.txt"), join(app, "assets", "link.txt"));
  hub.publish({ t: 0, type: "start", config: {} });
  hub.publish({ t: 0.5, type: "sample", v: 1, i: 2, p: 3, soc: 20 });
  srv = await startDashboardServer({
    hub,
    command: "simulate",
    live: true,
    roles: ["evse"],
    commands: { evse: "commands: emergency_stop", ev: "commands: pause" },
    control: (role, line) => {
      controls.push([role, line]);
      if (line === "throw") throw new Error("boom");
      return line === "bad" ? { ok: false, error: "bad: unknown command" } : { ok: true, did: `did ${line}` };
    },
    appDir: app,
    port: 0,
  });
});

after(async () => {
  await srv.close();
  hub.close();
  rmSync(dir, { recursive: true, force: true });
});

test("server: static files with their content types; / is index.html; listens on loopback", async () => {
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const index = await get(srv.port, "/");
  assert.equal(index.status, 200);
  assert.equal(index.type, "text/html; charset=utf-8");
  assert.match(index.body, /<title>app<\/title>/);
  const js = await get(srv.port, "/assets/main-1.js");
  assert.equal(js.status, 200);
  assert.equal(js.type, "text/javascript; charset=utf-8");
  assert.equal((await get(srv.port, "/assets/main-1.css?v=2")).type, "text/css; charset=utf-8");
  assert.equal((await get(srv.port, "/assets/nope.js")).status, 404);
  assert.equal((await get(srv.port, "/assets")).status, 404, "a directory is not a file");
  const head = await get(srv.port, "/assets/main-1.js", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body, "");
  assert.equal((await get(srv.port, "/", "POST")).status, 405);
});

test("server: path traversal is refused (raw, percent-encoded, backslash, NUL, symlink out)", async () => {
  for (const path of [
    "/../secret.txt",
    "/assets/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/assets/%2E%2E%2F%2E%2E%2Fsecret.txt",
    "/..%5csecret.txt",
    "/index.html%00.js",
    "/%E0%A4%A",
    "/assets/link.txt",
  ]) {
    const r = await get(srv.port, path);
    assert.ok(r.status === 403 || r.status === 400, `${path}: ${r.status}`);
    assert.doesNotMatch(r.body, /secret$/, path);
  }
});

test("server: /api/info says what this host is", async () => {
  const r = await get(srv.port, "/api/info");
  assert.equal(r.status, 200);
  assert.equal(r.type, "application/json; charset=utf-8");
  const info = JSON.parse(r.body);
  assert.deepEqual(
    { ...info, version: typeof info.version },
    { command: "simulate", live: true, roles: ["evse"], version: "string" },
  );
  assert.match(info.version, /^\d+\.\d+\.\d+/);
});

test("server: /ws says hello, sends the history, then live events and end", async () => {
  const c = await connectFrames(`ws://127.0.0.1:${srv.port}/ws`);
  try {
    const hello = await c.waitFor((f) => f.kind === "hello", 3000);
    assert.deepEqual(hello, {
      kind: "hello",
      command: "simulate",
      live: true,
      roles: ["evse"],
      commands: { evse: "commands: emergency_stop", ev: "commands: pause" },
      scenarios: false,
    });
    assert.equal(c.frames[0]?.kind, "hello", "hello comes first");
    const hist = await c.waitFor((f) => f.kind === "events", 3000);
    assert.deepEqual(
      (hist.events as RecordEvent[]).map((e) => e.type),
      ["start", "sample"],
    );
    hub.publish({ t: 1, type: "phase", phase: "charging" });
    const live = await c.waitFor((f) => f.kind === "events" && f !== hist, 3000);
    assert.deepEqual(live.events, [{ t: 1, type: "phase", phase: "charging" }]);
  } finally {
    c.close();
  }
});

test("server: control frames are carried out and answered by id; refused roles and errors are answers too", async () => {
  const c = await connectFrames(`ws://127.0.0.1:${srv.port}/ws`);
  try {
    c.send({ kind: "control", id: 7, role: "evse", line: "emergency_stop" });
    assert.deepEqual(await c.waitFor((f) => f.id === 7, 3000), {
      kind: "control-result",
      id: 7,
      ok: true,
      did: "did emergency_stop",
    });
    assert.deepEqual(controls.at(-1), ["evse", "emergency_stop"]);
    c.send({ kind: "control", id: 8, role: "evse", line: "bad" });
    assert.deepEqual(await c.waitFor((f) => f.id === 8, 3000), {
      kind: "control-result",
      id: 8,
      ok: false,
      error: "bad: unknown command",
    });
    c.send({ kind: "control", id: 9, role: "ev", line: "pause" });
    const refused = await c.waitFor((f) => f.id === 9, 3000);
    assert.equal(refused.ok, false);
    assert.match(String(refused.error), /role ev: takes no control lines here \(roles: evse\)/);
    c.send({ kind: "control", id: 10, role: "evse", line: "throw" });
    assert.deepEqual(await c.waitFor((f) => f.id === 10, 3000), {
      kind: "control-result",
      id: 10,
      ok: false,
      error: "boom",
    });
  } finally {
    c.close();
  }
});

test("server: malformed frames get an error frame naming the field; the server keeps serving (fast-check)", async () => {
  const c = await connectFrames(`ws://127.0.0.1:${srv.port}/ws`);
  try {
    await c.waitFor((f) => f.kind === "hello", 3000);
    const cases: [unknown, RegExp][] = [
      ["not json", /^frame: not JSON/],
      ["[1]", /^frame: must be a JSON object/],
      [{ kind: "hello" }, /^kind: must be "control" or "scenario"/],
      [{ kind: "scenario", id: 1, name: 5, text: "" }, /^name: must be a file name/],
      [{ kind: "scenario", id: 1, name: "a.txt", text: "x".repeat(60_001) }, /^text: at most 60000/],
      [{ kind: "control", id: "x", role: "evse", line: "a" }, /^id: must be an integer/],
      [{ kind: "control", id: 1, role: "car", line: "a" }, /^role: must be "evse" or "ev"/],
      [{ kind: "control", id: 1, role: "evse", line: 5 }, /^line: must be a string/],
      [{ kind: "control", id: 1, role: "evse", line: "a\nb" }, /^line: one line only/],
    ];
    for (const [frame, re] of cases) {
      const from = c.frames.length;
      c.send(frame);
      const e = await c.waitFor((f) => f.kind === "error", 3000, from);
      assert.match(String(e.error), re);
    }
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.waitFor((f) => f.kind === "error" && /binary/.test(String(f.error)), 3000);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (s) => {
        const from = c.frames.length;
        c.send(s);
        const f = await c.waitFor((x) => x.kind === "error" || x.kind === "control-result", 3000, from);
        assert.ok(f.kind === "error" || f.kind === "control-result");
      }),
      { numRuns: 60 },
    );
    assert.equal((await get(srv.port, "/api/info")).status, 200, "still serving");
  } finally {
    c.close();
  }
});

test("server: /ws from another site's page (Origin) and other upgrade paths are refused", async () => {
  await assert.rejects(
    connectFrames(`ws://127.0.0.1:${srv.port}/ws`, { Origin: "http://evil.example" }),
    /403/,
  );
  await assert.rejects(connectFrames(`ws://127.0.0.1:${srv.port}/other`), /404/);
  const ok = await connectFrames(`ws://127.0.0.1:${srv.port}/ws`, {
    Origin: `http://127.0.0.1:${srv.port}`,
  });
  ok.close();
});

test("server: /report.html is offline.html with the record so far (a one-file report)", async () => {
  const r = await get(srv.port, "/report.html");
  assert.equal(r.status, 200);
  assert.equal(r.type, "text/html; charset=utf-8");
  const text =
    /<script id="nacs-record" type="application\/x-ndjson">([\s\S]*?)<\/script>/.exec(r.body)?.[1] ?? "";
  assert.deepEqual(parseNdjson(text), hub.history());
});

test("server: without a built app, / serves the built-in page (how to build, raw stream)", async () => {
  const bare = await startDashboardServer({
    hub,
    command: "dashboard",
    live: false,
    roles: [],
    commands: { evse: "", ev: "" },
    appDir: join(dir, "missing"),
    port: 0,
  });
  try {
    assert.equal(bare.appBuilt, false);
    const r = await get(bare.port, "/");
    assert.equal(r.status, 200);
    assert.match(r.body, /dashboard app is not built/);
    assert.match(r.body, /npm run build:dashboard/);
    assert.match(r.body, /new WebSocket/);
    assert.equal((await get(bare.port, "/report.html")).status, 404);
    const info = JSON.parse((await get(bare.port, "/api/info")).body);
    assert.equal(info.live, false);
    assert.equal(info.command, "dashboard");
  } finally {
    await bare.close();
  }
});
