/**
 * Browser test of the live view against the stand-in host (fake-host.ts, loopback): the events arrive over
 * the WebSocket, the plots and the message list fill, the session ends, and a control button gets its
 * answer. Skips without Chromium or without the build.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSkipReason, launch } from "./browser.js";
import { startFakeHost } from "./fake-host.js";

const RECORD = [
  { t: 0, type: "start", config: { protocol: "iso2" } },
  { t: 0.02, type: "cp", state: "B" },
  { t: 0.1, type: "phase", phase: "cable-check" },
  ...Array.from({ length: 40 }, (_, k) => [
    { t: 0.2 + k * 0.05, type: "msg", name: "CurrentDemandReq" },
    { t: 0.201 + k * 0.05, type: "msg", name: "CurrentDemandRes" },
    { t: 0.21 + k * 0.05, type: "sample", v: 400 + k, i: 100, p: (400 + k) * 100, soc: 50 + k * 0.01 },
  ]).flat(),
]
  .map((e) => JSON.stringify(e))
  .join("\n");

test(
  "live view: events over the WebSocket fill the plots and messages; a control line gets its answer",
  { skip: browserSkipReason("index.html") },
  async () => {
    const host = await startFakeHost(RECORD, { speed: 1 });
    const browser = await launch();
    try {
      const p = await browser.newPage();
      const errors: string[] = [];
      p.on("pageerror", (e) => errors.push(e.message));
      await p.goto(host.url);
      await p.waitForSelector('[data-testid="live-view"]', { timeout: 15000 });
      await p.waitForSelector('[data-testid="plot-voltage"] canvas', { timeout: 15000 });
      await p.click('[data-testid="ctl-estop"]');
      await p.waitForSelector('[data-testid="live-ended"]', { timeout: 15000 });
      assert.equal(await p.locator('[data-testid="message-list"]').getAttribute("data-count"), "80");
      assert.equal(
        await p.locator('[data-testid="session-view"]').getAttribute("data-events"),
        String(3 + 120 + 2),
      );
      assert.match(
        (await p.locator('[data-testid="control-result"]').first().textContent()) ?? "",
        /evse> emergency_stop → fake: emergency_stop/,
      );
      await p.waitForSelector('[data-testid="trip-marker"]', { state: "attached", timeout: 5000 });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      host.close();
    }
  },
);

test(
  "live view: reconnects when the host comes back, and starts the history afresh",
  { skip: browserSkipReason("index.html") },
  async () => {
    let host = await startFakeHost(RECORD, { speed: 20 });
    const port = Number(new URL(host.url).port);
    const browser = await launch();
    try {
      const p = await browser.newPage();
      await p.goto(host.url);
      await p.waitForSelector('[data-testid="live-ended"]', { timeout: 15000 });
      host.close();
      await p.waitForFunction(
        () => document.querySelector('[data-testid="connection-status"]')?.textContent === "closed",
      );
      const second = RECORD.split("\n").slice(0, 10).join("\n");
      host = await startFakeHost(second, { port, speed: 20 });
      await p.waitForFunction(
        () => document.querySelector('[data-testid="message-list"]')?.getAttribute("data-count") === "5",
        undefined,
        { timeout: 15000 },
      );
      assert.equal(await p.locator('[data-testid="session-view"]').getAttribute("data-events"), "10");
    } finally {
      await browser.close();
      host.close();
    }
  },
);
