/**
 * Browser smoke test: offline.html filled with a small record (as the host fills it) shows the plots and
 * the trip marker in Chromium, with no page errors. Skips without Chromium or without the build.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { fillOfflineHtml } from "../src/model/offline-record.js";
import { browserSkipReason, builtFile, launch } from "./browser.js";

const RECORD = [
  { t: 0, type: "start", config: { protocol: "iso2" } },
  { t: 0.02, type: "cp", state: "B" },
  { t: 1.26, type: "phase", phase: "cable-check" },
  { t: 1.3, type: "msg", name: "CurrentDemandReq" },
  { t: 1.302, type: "msg", name: "CurrentDemandRes" },
  { t: 3.5, type: "phase", phase: "pre-charge" },
  { t: 3.7, type: "phase", phase: "charging" },
  ...Array.from({ length: 16 }, (_, k) => ({
    t: 4 + k * 0.5,
    type: "sample",
    v: 750 + k,
    i: 300 - k,
    p: (750 + k) * (300 - k),
    soc: 70 + k * 0.05,
    evTargetA: 310,
  })),
  { t: 12.2, type: "fault", name: "over-current" },
  {
    t: 12.208,
    type: "trip",
    fault: "over-current",
    reason: "over-current",
    detail: "459.6 A > 440.0 A </script>",
  },
  { t: 12.209, type: "off", fault: "over-current", latencyMs: 1 },
  { t: 12.5, type: "sample", v: 0, i: 0, p: 0, soc: 70.8 },
]
  .map((e) => JSON.stringify(e))
  .join("\n");

test(
  "offline.html with a filled record shows the plot canvas and the trip marker",
  { skip: browserSkipReason() },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-offline-"));
    const page = join(dir, "report.html");
    writeFileSync(page, fillOfflineHtml(readFileSync(builtFile("offline.html"), "utf8"), `${RECORD}\n`));
    const browser = await launch();
    try {
      const p = await browser.newPage();
      const errors: string[] = [];
      p.on("pageerror", (e) => errors.push(e.message));
      await p.goto(pathToFileURL(page).href);
      await p.waitForSelector('[data-testid="plot-voltage"] canvas', { timeout: 15000 });
      await p.waitForSelector('[data-testid="trip-marker"]', { state: "attached", timeout: 15000 });
      assert.equal(await p.locator('[data-testid="trip-marker"]').count(), 3); // one per plot
      assert.match(
        (await p.locator('[data-testid="trip-marker"]').first().getAttribute("title")) ?? "",
        /over-current: fault → detection 8 ms, detection → off 1 ms \(459\.6 A > 440\.0 A <\/script>\)/,
      );
      assert.equal(
        await p.locator('[data-testid="record-event-count"]').textContent(),
        String(RECORD.split("\n").length),
      );
      assert.equal(await p.locator('[data-testid="message-row"]').count(), 2);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
);
