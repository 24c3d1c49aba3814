/**
 * `nacs conformance --sut evcc` with a real EVSE board: one board link for the run, each case's controller
 * attached in turn — readings reach the current case only, a finished case's commands are dropped — and
 * the pilot restarted (X1) between cases instead of a re-plug. A simulated cable hosted by the car's
 * process is refused (the tester must host it to plug the car in).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { EvseBoardPort } from "../../link/host/board-port.js";
import type { EvseBoardEffect, EvseBoardEvent } from "../../link/host/controllers.js";
import { silentLogger } from "../../link/logger.js";
import { DUTY_X1 } from "../../pilot/index.js";
import { UsageError } from "../errors.js";
import { openBoard } from "../live/board.js";
import { openTesterEvseBoard, realTesterBoard } from "./conformance-evcc.js";

test("a real board: readings to the current case only, a closed case's commands dropped, pilot X1 between cases", async () => {
  const commands: EvseBoardEffect[] = [];
  const to: { emit: ((r: EvseBoardEvent) => void) | null } = { emit: null };
  let attaches = 0;
  const base: EvseBoardPort = {
    name: "serial:test",
    command: (c) => commands.push(c),
    attach(onReading) {
      attaches++;
      to.emit = onReading;
    },
    close: async () => {},
  };
  const b = realTesterBoard(base, async () => {});
  const seen: string[] = [];
  const p1 = b.port();
  p1.attach(
    (r) => seen.push(`1:${r.kind}`),
    () => {},
  );
  to.emit?.({ kind: "cp", state: "B", tMs: 0 });
  await p1.close();
  p1.command({ kind: "duty", duty: 5 });
  b.unplug();
  const p2 = b.port();
  p2.attach(
    (r) => seen.push(`2:${r.kind}`),
    () => {},
  );
  to.emit?.({ kind: "cp", state: "B", tMs: 1 });
  p2.command({ kind: "duty", duty: 5 });
  assert.equal(attaches, 1, "the board link is attached once");
  assert.deepEqual(seen, ["1:cp", "2:cp"]);
  assert.deepEqual(commands, [
    { kind: "duty", duty: DUTY_X1 },
    { kind: "duty", duty: 5 },
  ]);
});

test("--board sim:SOCKET already hosted by the car's process: refused, naming --board", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-evcc-board-"));
  const spec = `sim:${join(dir, "w.sock")}`;
  const settings = {
    module: (await import("../../evse/dc/index.js")).powerModuleConfig(),
    battery: (await import("../../ev/dc/index.js")).dcBatteryConfig(),
    socPercent: 30,
    seed: null,
    energyTimeScale: 1,
  };
  const car = await openBoard("ev", spec, settings, silentLogger);
  try {
    await assert.rejects(
      openTesterEvseBoard(spec, silentLogger),
      (e: unknown) =>
        e instanceof UsageError && /--board.*start nacs conformance before the car/.test(e.message),
    );
  } finally {
    await car.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
