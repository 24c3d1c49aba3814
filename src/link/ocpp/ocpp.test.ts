/**
 * The station client against the test CSMS on loopback: a whole transaction, schema validation both ways
 * (a deliberately wrong payload is refused and recorded), and a scripted CSMS stopping and limiting.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RPCClient } from "ocpp-rpc";
import type { EvseCommand, StationConfig } from "../../ocpp/index.js";
import { type Csms, startCsms } from "./csms.js";
import { parseCsmsScript } from "./csms-script.js";
import { type OcppStation, startOcppStation } from "./station-client.js";
import { splitCsmsUrl } from "./url.js";

const cfg: StationConfig = {
  chargingStation: { vendorName: "nacs", model: "test" },
  evseId: 1,
  connectorId: 1,
  txUpdatedIntervalS: 10,
  heartbeatIntervalS: 300,
  bootRetryS: 5,
  transactionPrefix: "CP1",
};

async function until(what: string, f: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function pair(script?: string) {
  const csms = await startCsms({ port: 0, ...(script && { script: parseCsmsScript(script) }) });
  const commands: EvseCommand[] = [];
  let t = Date.UTC(2026, 11, 5, 10);
  const station = await startOcppStation({
    url: `${csms.url}/CP1`,
    config: cfg,
    now: () => t,
    onEvse: (c) => commands.push(c),
  });
  const advance = (ms: number) => {
    t += ms;
    station.push({ kind: "tick", tMs: t });
  };
  return { csms, station, commands, advance, now: () => t };
}

async function close(csms: Csms, station: OcppStation) {
  await station.close();
  await csms.close();
}

test("URL: endpoint and identity; a bad one names the rule", () => {
  assert.deepEqual(splitCsmsUrl("ws://127.0.0.1:9000/nacs/CP1"), {
    endpoint: "ws://127.0.0.1:9000/nacs",
    identity: "CP1",
  });
  assert.deepEqual(splitCsmsUrl("wss://csms.example/CP%2D2"), {
    endpoint: "wss://csms.example",
    identity: "CP-2",
  });
  assert.throws(() => splitCsmsUrl("http://x/CP1"), /scheme must be ws or wss/);
  assert.throws(() => splitCsmsUrl("ws://x/"), /must end with the station identity/);
  assert.throws(() => splitCsmsUrl("ws://x/a:b"), /without ":"/);
});

test("loopback: a transaction Started → Updated → Ended, every message schema-valid both ways", async () => {
  const { csms, station, commands, advance, now } = await pair();
  try {
    await until("boot + status", () => station.state.registration === "Accepted" && station.idle());
    station.push({ kind: "plugged", tMs: now() });
    station.push({ kind: "id-token", idToken: { idToken: "TOKEN-1", type: "ISO14443" }, tMs: now() });
    await until("authorised", () => commands.some((c) => c.kind === "authorization"));
    assert.deepEqual(commands.at(-1), { kind: "authorization", result: "accepted" });
    station.push({ kind: "charging", state: "Charging", tMs: now() });
    for (let i = 1; i <= 5; i++) {
      station.push({
        kind: "meter",
        reading: { energyWh: i * 100, powerW: 36_000, socPercent: 20 + i },
        tMs: now(),
      });
      advance(5_000);
    }
    station.push({ kind: "session-end", cause: { kind: "ev", reason: "target SOC reached" }, tMs: now() });
    assert.ok(await station.drain(5_000), "everything sent");
    const s = csms.summary();
    assert.equal(s.schemaErrors, 0, JSON.stringify(csms.records.filter((r) => r.kind === "schema-error")));
    assert.equal(station.schemaFailures.length, 0);
    const tx = s.transactions["CP1-1"]!;
    assert.deepEqual(
      tx.events.map((e) => e.eventType),
      ["Started", "Updated", "Updated", "Updated", "Updated", "Ended"],
    );
    assert.deepEqual(
      tx.events.map((e) => e.seqNo),
      [0, 1, 2, 3, 4, 5],
    );
    assert.equal(tx.endedEnergyWh, 500);
    assert.equal(tx.stoppedReason, "StoppedByEV");
    assert.equal(s.messages["rx:BootNotification"], 1);
    assert.equal(s.messages["rx:Authorize"], 1);
  } finally {
    await close(csms, station);
  }
});

test("schema: a wrong payload is refused both ways and recorded (strict mode)", async () => {
  const { csms, station } = await pair();
  try {
    await until("boot", () => station.state.registration === "Accepted");
    // outbound from the CSMS: evseId must be an integer
    await assert.rejects(csms.call("CP1", "SetChargingProfile", { evseId: "one", chargingProfile: {} }));
    assert.equal(csms.summary().schemaErrors, 1);
    assert.equal(csms.records.filter((r) => r.kind === "schema-error")[0]!.dir, "tx");
    // inbound to the CSMS: a client that does not validate sends a BootNotification with a bad reason
    const raw = new RPCClient({
      endpoint: csms.url,
      identity: "RAW",
      protocols: ["ocpp2.0.1"],
      strictMode: false,
    } as unknown as ConstructorParameters<typeof RPCClient>[0]);
    await raw.connect();
    await assert.rejects(
      raw.call("BootNotification", { reason: "Nope", chargingStation: { vendorName: "x", model: "y" } }),
      (err: { rpcErrorCode?: string }) => err.rpcErrorCode !== undefined,
    );
    await raw.close();
    const errs = csms.records.filter((r) => r.kind === "schema-error");
    assert.equal(errs.length, 2);
    assert.deepEqual([errs[1]!.identity, errs[1]!.dir, errs[1]!.action], ["RAW", "rx", "BootNotification"]);
  } finally {
    await close(csms, station);
  }
});

test("scripted CSMS: SetChargingProfile once charging, RequestStopTransaction after it", async () => {
  const script = JSON.stringify([
    {
      when: { action: "TransactionEvent", match: { "transactionInfo.chargingState": "Charging" } },
      call: "SetChargingProfile",
      payload: {
        evseId: 0,
        chargingProfile: {
          id: 1,
          stackLevel: 0,
          chargingProfilePurpose: "ChargingStationMaxProfile",
          chargingProfileKind: "Relative",
          chargingSchedule: [
            { id: 1, chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 50000 }] },
          ],
        },
      },
    },
    { delayMs: 50, call: "RequestStopTransaction", payload: { transactionId: "$transactionId" } },
  ]);
  const { csms, station, commands, now } = await pair(script);
  try {
    await until("boot", () => station.state.registration === "Accepted");
    station.push({ kind: "plugged", tMs: now() });
    station.push({ kind: "id-token", idToken: { idToken: "T", type: "ISO14443" }, tMs: now() });
    station.push({ kind: "charging", state: "Charging", tMs: now() });
    await until("stop", () => commands.some((c) => c.kind === "stop-charging"));
    assert.ok(commands.some((c) => c.kind === "set-power-limit" && c.maxPowerW === 50_000));
    station.push({ kind: "session-end", cause: { kind: "ev", reason: "EVSE asked" }, tMs: now() });
    assert.ok(await station.drain(5_000));
    const tx = csms.summary().transactions["CP1-1"]!;
    assert.equal(tx.stoppedReason, "Remote");
    assert.equal(tx.events.at(-1)!.triggerReason, "RemoteStop");
    assert.equal(csms.summary().schemaErrors, 0);
    const results = csms.records
      .filter((r) => r.kind === "result" && r.dir === "rx")
      .map((r) => [r.action, (r.payload as { status?: string }).status]);
    assert.deepEqual(
      results.filter(([a]) => a === "SetChargingProfile"),
      [["SetChargingProfile", "Accepted"]],
    );
  } finally {
    await close(csms, station);
  }
});

test("CSMS script: errors name the step and the field", () => {
  assert.throws(() => parseCsmsScript("{}"), /JSON list of steps/);
  assert.throws(() => parseCsmsScript('[{"call":"X"}]'), /step 1: "payload" must be an object/);
  assert.throws(() => parseCsmsScript('[{"call":"X","payload":{},"delayMs":-1}]'), /step 1: "delayMs"/);
  assert.throws(
    () => parseCsmsScript('[{"call":"X y","payload":{}}]'),
    /step 1: "call" must be an OCPP action/,
  );
});

test("the example script (examples/ocpp): limit once charging, the stop its delay after the limit", async () => {
  const steps = JSON.parse(readFileSync("examples/ocpp/limit-then-stop.json", "utf8")) as {
    delayMs?: number;
  }[];
  steps[0]!.delayMs = 150;
  steps[1]!.delayMs = 200; // counted from the first step's firing: ≥ 350 ms after the match
  const { csms, station, commands, now } = await pair(JSON.stringify(steps));
  try {
    await until("boot", () => station.state.registration === "Accepted");
    station.push({ kind: "plugged", tMs: now() });
    station.push({ kind: "id-token", idToken: { idToken: "T", type: "ISO14443" }, tMs: now() });
    const t0 = Date.now();
    station.push({ kind: "charging", state: "Charging", tMs: now() });
    const at: Record<string, number> = {};
    await until("stop", () => {
      for (const c of commands) at[c.kind] ??= Date.now() - t0;
      return at["stop-charging"] !== undefined;
    });
    assert.ok(at["set-power-limit"]! >= 140, `limit after ${at["set-power-limit"]} ms`);
    assert.ok(at["stop-charging"]! >= 340, `stop after ${at["stop-charging"]} ms`);
  } finally {
    await close(csms, station);
  }
});

test(
  "security profile 1: the right Basic-auth password connects, a wrong or missing one is refused (401)",
  { timeout: 20_000 },
  async () => {
    const password = "0123456789abcdef-right";
    const csms = await startCsms({ port: 0, password });
    const start = (pw?: string) =>
      startOcppStation({
        url: `${csms.url}/SP1`,
        config: cfg,
        now: () => Date.UTC(2026, 11, 5),
        onEvse: () => {},
        ...(pw !== undefined && { password: pw }),
      });
    try {
      const ok = await start(password);
      assert.ok(await ok.registered(5_000));
      await ok.close();
      // a connection that gets through is closed (the test fails instead of hanging on it)
      const refused = async (pw?: string) => {
        try {
          await (await start(pw)).close();
          return "connected";
        } catch (err) {
          return (err as Error).message;
        }
      };
      assert.match(await refused("0123456789abcdef-wrong"), /cannot connect: Unauthorized/);
      assert.match(await refused(), /cannot connect: Unauthorized/);
      assert.equal(csms.summary().authFailures, 2);
    } finally {
      await csms.close();
    }
  },
);
