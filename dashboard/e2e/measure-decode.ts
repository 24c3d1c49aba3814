/**
 * Measures how long the capture viewer takes to decode a capture in Chromium, both builds: index.html
 * served over loopback (decoding in a Web Worker) and offline.html from a file (on the page's thread).
 * Prints the page's own figure (`data-testid="decode-time"`), the time until the message count shows,
 * and checks the count against the events `nacs decode --json` prints (one line each).
 *   npx tsx dashboard/e2e/measure-decode.ts [CAPTURE]   (default: the largest in ../shared/captures)
 */
import { createReadStream, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { decodeCaptureBytes } from "../src/capture/decode.js";
import { browserSkipReason, builtFile, launch } from "./browser.js";

const SHARED = new URL("../../../shared/captures/", import.meta.url).pathname;
function largest(): string {
  const all: string[] = [];
  for (const d of readdirSync(SHARED)) {
    const p = join(SHARED, d);
    if (statSync(p).isDirectory()) for (const f of readdirSync(p)) all.push(join(p, f));
  }
  return all
    .filter((f) => /\.(dump|pcap|pcapng)$/.test(f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
function serve(root: string): Promise<{ url: string; close(): void }> {
  const srv = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = join(root, path === "/" ? "index.html" : path);
    if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) =>
    srv.listen(0, "127.0.0.1", () =>
      ok({ url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, close: () => srv.close() }),
    ),
  );
}

async function main(): Promise<void> {
  const why = browserSkipReason("index.html");
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  const capture = process.argv[2] ?? largest();
  const size = statSync(capture).size;
  const node = await decodeCaptureBytes(new Uint8Array(readFileSync(capture)));
  console.log(`${capture.split("/").pop()} (${(size / 1024).toFixed(0)} KiB): ${node.events.length} events`);
  console.log(`  node (same code, tsx): ${node.decodeMs.toFixed(0)} ms`);
  const srv = await serve(builtFile(""));
  const browser = await launch();
  try {
    for (const [label, url] of [
      ["index.html over loopback (worker)", srv.url],
      ["offline.html from file (page thread)", pathToFileURL(builtFile("offline.html")).href],
    ] as const) {
      const p = await browser.newPage();
      await p.goto(url);
      await p.click('[data-testid="tab-capture"]');
      const t0 = Date.now();
      await p.setInputFiles('[data-testid="capture-file-input"]', capture);
      await p.waitForSelector('[data-testid="message-count"]', { timeout: 120000 });
      const wall = Date.now() - t0;
      const count = Number(await p.locator('[data-testid="message-count"]').textContent());
      const ms = await p.locator('[data-testid="decode-time"]').textContent();
      const v2g = await p.locator('[data-testid="v2g-message-count"]').textContent();
      const where = (await p.locator('[data-testid="capture-summary"]').textContent())?.match(
        /\((worker|page)\)/,
      )?.[1];
      console.log(
        `  ${label}: decode ${ms} ms in the ${where}, ${wall} ms until shown; message-count ${count}` +
          (count === node.events.length ? " = nacs decode --json lines" : ` ≠ ${node.events.length}`) +
          `, ${v2g} V2G (${node.decoder.v2gMessages} in node)`,
      );
      await p.close();
    }
  } finally {
    await browser.close();
    srv.close();
  }
}

await main();
