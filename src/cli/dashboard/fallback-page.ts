/**
 * The page `GET /` serves when the dashboard app is not built (no `dist/dashboard/index.html`): it says so
 * and how to build it, and still shows the raw event stream of `/ws` and sends control lines, so the host
 * is usable (and testable) without the app.
 */

/** How to build the app (shown on the page and in the host's warning). */
export const APP_BUILD_HINT = "npm run build:dashboard (Vite: dashboard/ → dist/dashboard/)";

/** Lines of the raw stream the page keeps on screen. */
const SHOWN_LINES = 2000;

/** The built-in page; `appDir`: where the app was looked for. */
export function fallbackPage(appDir: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nacs dashboard (app not built)</title>
<style>body{font-family:sans-serif;margin:16px}pre{background:#f4f4f4;padding:8px;height:60vh;overflow:auto;font-size:12px}
code{background:#eee;padding:1px 4px}</style></head>
<body><h1>nacs dashboard</h1>
<p id="not-built">The dashboard app is not built: <code>${esc(appDir)}/index.html</code> is missing.
Build it with <code>${esc(APP_BUILD_HINT)}</code> and reload. Meanwhile, the raw event stream:</p>
<p id="status">connecting…</p>
<form id="ctl"><select id="role"><option>evse</option><option>ev</option></select>
<input id="line" size="40" placeholder="control line, e.g. emergency_stop"> <button>send</button></form>
<pre id="stream"></pre>
<script>
const pre = document.getElementById("stream"), status = document.getElementById("status");
const lines = [];
const show = (s) => { lines.push(s); if (lines.length > ${SHOWN_LINES}) lines.splice(0, lines.length - ${SHOWN_LINES}); pre.textContent = lines.join("\\n"); pre.scrollTop = pre.scrollHeight; };
const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
let id = 0;
ws.onopen = () => { status.textContent = "connected"; };
ws.onclose = () => { status.textContent = "disconnected"; };
ws.onmessage = (m) => {
  const f = JSON.parse(m.data);
  if (f.kind === "events") for (const e of f.events) show(JSON.stringify(e));
  else if (f.kind === "hello") status.textContent = "connected: nacs " + f.command + (f.live ? " (live)" : "") + "; control: " + (f.roles.join(", ") || "none");
  else show("# " + JSON.stringify(f));
};
document.getElementById("ctl").onsubmit = (e) => {
  e.preventDefault();
  const line = document.getElementById("line").value;
  ws.send(JSON.stringify({ kind: "control", id: ++id, role: document.getElementById("role").value, line }));
};
</script></body></html>
`;
}
