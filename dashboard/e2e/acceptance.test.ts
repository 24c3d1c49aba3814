/**
 * The dashboard against the real `nacs` host, in Chromium: `nacs simulate --ui` (the plot advances, the
 * emergency-stop button trips the EVSE and the session ends), `nacs dashboard`'s record viewer on an
 * over-current record (its trip), and the one-file report `nacs simulate` writes for an over-current run
 * (the current spike and the trip). Screenshots of each view go to test-output/. Skips without Chromium or
 * without the build.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { type NacsProc, spawnNacs, waitForStderr } from "../../src/cli/testing/spawn-nacs.js";
import { browserSkipReason, launch } from "./browser.js";

const OUT = fileURLToPath(new URL("../../test-output/", import.meta.url));
const skip = browserSkipReason("index.html") || browserSkipReason("offline.html");
const STEP_MS = 30_000;

const stop = async (p: NacsProc) => {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
  await Promise.race([p.exit, new Promise((r) => setTimeout(r, 5000))]);
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
};

/** `nacs simulate --fault over-current --record FILE` (virtual time): the record and the report beside it. */
function overCurrentRun(dir: string): { record: string; report: string } {
  const record = join(dir, "oc.ndjson");
  const r = spawnSync(
    process.execPath,
    ["bin/nacs.js", "simulate", "--fault", "over-current", "--json", "--record", record],
    { encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { files: { record: string; plot: string } };
  return { record: j.files.record, report: j.files.plot };
}

/**
 * `nacs simulate --ui --speed SPEED` with its page open in Chromium: `run` drives the page; no page error
 * may occur. The host and the browser are closed afterwards whatever happened.
 */
async function withSimulateUi(speed: string, run: (page: Page) => Promise<void>): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const p = spawnNacs(["simulate", "--ui", "0", "--speed", speed, "--no-record", "--json"]);
  const browser = skip ? undefined : await launch();
  try {
    const m = await waitForStderr(p, /dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/, STEP_MS);
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(m[1]!);
    await run(page);
    assert.deepEqual(errors, []);
  } finally {
    await browser?.close();
    await stop(p);
  }
}

test(
  "nacs simulate --ui in Chromium: the plot advances, Emergency stop trips the EVSE, the trip marker shows and the session ends",
  { skip, timeout: 5 * STEP_MS },
  async () => {
    await withSimulateUi("10", async (page) => {
      await page.waitForSelector('[data-testid="plot-current"] canvas', { timeout: STEP_MS });
      const events = async () =>
        Number(await page.locator('[data-testid="session-view"]').getAttribute("data-events"));
      // wait for charging, then see the event count (the plots' data) keep growing
      await page.waitForFunction(
        () => /charging/.test(document.querySelector('[data-testid="session-phase"]')?.textContent ?? ""),
        undefined,
        { timeout: STEP_MS },
      );
      const before = await events();
      await page.waitForFunction(
        (n) =>
          Number(document.querySelector('[data-testid="session-view"]')?.getAttribute("data-events")) >
          n + 20,
        before,
        { timeout: STEP_MS },
      );
      await page.screenshot({ path: join(OUT, "dashboard-live.png") });
      await page.click('[data-testid="ctl-estop"]');
      await page.waitForSelector('[data-testid="trip-marker"]', { state: "attached", timeout: STEP_MS });
      await page.waitForSelector('[data-testid="live-ended"]', { timeout: STEP_MS });
      // the session ended: the EVSE tripped (CP F), so the EV reports the pilot stopped
      assert.match((await page.locator('[data-testid="session-phase"]').textContent()) ?? "", /ended/);
      assert.match(
        (await page.locator('[data-testid="session-stop"]').textContent()) ?? "",
        /CP state F|emergency/i,
      );
      assert.match((await page.locator('[data-testid="trip-list"]').textContent()) ?? "", /emergency-stop/);
      await page.screenshot({ path: join(OUT, "dashboard-estop.png") });
    });
  },
);

test(
  "nacs simulate --ui control panel in Chromium: charger power, a scenario file, unplug and plug in again",
  { skip, timeout: 6 * STEP_MS },
  async () => {
    // speed 5: the run holds 600 s of simulated time (2 min here) after the unplug for the plug-in
    await withSimulateUi("5", async (page) => {
      const phase = (re: RegExp) =>
        page.waitForFunction(
          (src) =>
            new RegExp(src).test(document.querySelector('[data-testid="session-phase"]')?.textContent ?? ""),
          re.source,
          { timeout: STEP_MS },
        );
      /**
       * The host's answer to the newest control line, once it came. The wait is for the line itself: a
       * scenario file is read asynchronously, so its line can appear after the previous answer was checked.
       */
      const answer = async (re: RegExp) => {
        const first = page.locator('[data-testid="control-result"]').first();
        await page
          .waitForFunction(
            (src) => {
              const li = document.querySelector('[data-testid="control-result"]');
              return !!li && !li.classList.contains("wait") && new RegExp(src).test(li.textContent ?? "");
            },
            re.source,
            { timeout: STEP_MS },
          )
          .catch(() => undefined);
        assert.match((await first.textContent()) ?? "", re);
      };
      await phase(/charging/);
      await page.fill('[data-testid="charger-power-input"]', "50");
      await page.click('[data-testid="ctl-charger-power"]');
      await answer(/evse> set_charger_kw 50 → charger power limited to 50 kW/);
      await page.setInputFiles('[data-testid="scenario-file"]', {
        name: "later.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("set_target_soc 90\n"),
      });
      await answer(/scenario later\.txt → scenario later\.txt: 1 commands queued/);
      await page.click('[data-testid="ctl-unplug"]');
      await answer(/plug in within 600 s \(simulated\) for the next session/);
      await phase(/ended/);
      await page.click('[data-testid="ctl-plug"]');
      await answer(/plug in: the next session/);
      // the next plug-in's session: connecting again, then charging
      await phase(/charging/);
      await page.screenshot({ path: join(OUT, "dashboard-controls.png") });
      await page.click('[data-testid="ctl-estop"]');
      await page.waitForSelector('[data-testid="live-ended"]', { timeout: STEP_MS });
    });
  },
);

test(
  "nacs dashboard's record viewer and nacs simulate's one-file report: an over-current run shows its current spike and trip",
  { skip, timeout: 4 * STEP_MS },
  async () => {
    mkdirSync(OUT, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), "nacs-dash-accept-"));
    const p = spawnNacs(["dashboard", "--port", "0"]);
    const browser = skip ? undefined : await launch();
    try {
      const { record, report } = overCurrentRun(dir);
      // the record has the spike at event resolution: samples above the charger's limit before the trip
      const rec = readFileSync(record, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { t: number; type: string; i?: number; fault?: string });
      const trip = rec.find((e) => e.type === "trip");
      assert.equal(trip?.fault, "over-current");
      const peak = Math.max(...rec.filter((e) => e.type === "sample" && e.t <= trip!.t).map((e) => e.i ?? 0));
      // the record viewer of `nacs dashboard`
      await waitForUrl(p);
      const url = /nacs dashboard: (http:\/\/\S+)/.exec(p.out)![1]!;
      const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(url);
      await page.click('[data-testid="tab-record"]');
      await page.setInputFiles('[data-testid="record-file-input"]', record);
      await page.waitForSelector('[data-testid="trip-item"]', { timeout: STEP_MS });
      assert.match((await page.locator('[data-testid="trip-list"]').textContent()) ?? "", /over-current/);
      await page.waitForSelector('[data-testid="trip-marker"]', { state: "attached", timeout: STEP_MS });
      await page.screenshot({ path: join(OUT, "dashboard-record.png") });
      // the report nacs simulate wrote beside the record: the same page, offline
      const offline = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
      await offline.goto(pathToFileURL(report).href);
      await offline.waitForSelector('[data-testid="plot-current"] canvas', { timeout: STEP_MS });
      await offline.waitForSelector('[data-testid="trip-marker"]', { state: "attached", timeout: STEP_MS });
      assert.match((await offline.locator('[data-testid="trip-list"]').textContent()) ?? "", /over-current/);
      await offline.screenshot({ path: join(OUT, "dashboard-offline-over-current.png") });
      console.log(
        `# over-current run: peak ${peak.toFixed(1)} A in the record before the trip at ${trip!.t} s`,
      );
      assert.ok(peak > 440, `the spike is in the record at event resolution (peak ${peak} A)`);
    } finally {
      await browser?.close();
      await stop(p);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

async function waitForUrl(p: NacsProc): Promise<void> {
  const until = Date.now() + STEP_MS;
  while (!/nacs dashboard: http/.test(p.out)) {
    if (p.child.exitCode !== null) throw new Error(`nacs dashboard exited: ${p.err}`);
    assert.ok(Date.now() < until, `nacs dashboard printed no URL: ${p.err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
