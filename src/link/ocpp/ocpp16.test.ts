/**
 * The OCPP 1.6J charge point against the test CSMS on loopback (subprotocol "ocpp1.6", strict mode both
 * ways): a whole transaction with the CSMS's transactionId, a wrong payload refused either way and
 * recorded, a scripted SetChargingProfile and RemoteStopTransaction, and a 2.0.1 station on the same CSMS.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RPCClient } from "ocpp-rpc";
import type { EvseCommand, StationConfig } from "../../ocpp/index.js";
import type { StationState16 } from "../../ocpp/v16/index.js";
import { startCsms } from "./csms.js";
import { parseCsmsScript } from "./csms-script.js";
import { startOcppStation } from "./station-client.js";

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

async function pair(script?: string, version: "1.6" | "2.0.1" = "1.6", identity = "CP16") {
  const csms = await startCsms({ port: 0, ...(script && { script: parseCsmsScript(script) }) });
  const commands: EvseCommand[] = [];
  let t = Date.UTC(2026, 11, 5, 10);
  const station = await startOcppStation({
    url: `${csms.url}/${identity}`,
    version,
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

test("loopback 1.6: StartTransaction → MeterValues → StopTransaction, the CSMS's transactionId, schema-valid both ways", async () => {
  const { csms, station, commands, advance, now } = await pair();
  try {
    await until("boot + status", () => station.state.registration === "Accepted" && station.idle());
    assert.equal(csms.summary().protocols.CP16, "ocpp1.6");
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
    const tx = s.transactions["1"]!;
    assert.deepEqual(
      tx.events.map((e) => e.eventType),
      ["Started", "Updated", "Updated", "Updated", "Ended"],
    );
    assert.equal(tx.meterStartWh, 0);
    assert.equal(tx.meterStopWh, 500);
    assert.equal(tx.stoppedReason, "Local");
    assert.equal((station.state as StationState16).txIds[1], 1);
  } finally {
    await station.close();
    await csms.close();
  }
});

test("schema 1.6: a wrong payload is refused both ways and recorded (strict mode)", async () => {
  const { csms, station } = await pair();
  try {
    await until("boot", () => station.state.registration === "Accepted");
    // outbound from the CSMS: transactionId must be an integer (OCPP 1.6 RemoteStopTransaction.req)
    await assert.rejects(csms.call("CP16", "RemoteStopTransaction", { transactionId: "one" }));
    assert.equal(csms.summary().schemaErrors, 1);
    assert.equal(csms.records.filter((r) => r.kind === "schema-error")[0]!.dir, "tx");
    // inbound to the CSMS: a client that does not validate sends a StartTransaction without an idTag
    const raw = new RPCClient({
      endpoint: csms.url,
      identity: "RAW16",
      protocols: ["ocpp1.6"],
      strictMode: false,
    } as unknown as ConstructorParameters<typeof RPCClient>[0]);
    await raw.connect();
    await assert.rejects(
      raw.call("StartTransaction", { connectorId: 1, meterStart: 0, timestamp: new Date().toISOString() }),
      (err: { rpcErrorCode?: string }) => err.rpcErrorCode !== undefined,
    );
    await raw.close();
    const errs = csms.records.filter((r) => r.kind === "schema-error");
    assert.equal(errs.length, 2);
    assert.deepEqual([errs[1]!.identity, errs[1]!.dir, errs[1]!.action], ["RAW16", "rx", "StartTransaction"]);
    assert.deepEqual(csms.summary().transactions, {}, "the refused StartTransaction made no transaction");
  } finally {
    await station.close();
    await csms.close();
  }
});

test("scripted CSMS 1.6: SetChargingProfile in A once charging, RemoteStopTransaction ($transactionId, an integer) after it", async () => {
  const script = JSON.stringify([
    {
      when: { action: "StatusNotification", match: { status: "Charging" } },
      call: "SetChargingProfile",
      payload: {
        connectorId: 0,
        csChargingProfiles: {
          chargingProfileId: 1,
          stackLevel: 0,
          chargingProfilePurpose: "ChargePointMaxProfile",
          chargingProfileKind: "Relative",
          chargingSchedule: {
            chargingRateUnit: "A",
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 125 }],
          },
        },
      },
    },
    { delayMs: 50, call: "RemoteStopTransaction", payload: { transactionId: "$transactionId" } },
  ]);
  const { csms, station, commands, now } = await pair(script);
  try {
    await until("boot", () => station.state.registration === "Accepted");
    station.push({ kind: "plugged", tMs: now() });
    station.push({ kind: "id-token", idToken: { idToken: "T", type: "ISO14443" }, tMs: now() });
    await until("started", () => (station.state as StationState16).tx?.transactionId != null);
    station.push({ kind: "charging", state: "Charging", tMs: now() });
    await until("stop", () => commands.some((c) => c.kind === "stop-charging"));
    assert.ok(
      commands.some((c) => c.kind === "set-power-limit" && c.maxPowerW === 50_000),
      "125 A × 400 V (the default nominal voltage)",
    );
    station.push({ kind: "session-end", cause: { kind: "ev", reason: "EVSE asked" }, tMs: now() });
    assert.ok(await station.drain(5_000));
    const s = csms.summary();
    assert.equal(s.transactions["1"]!.stoppedReason, "Remote");
    assert.equal(s.schemaErrors, 0);
    const results = csms.records
      .filter((r) => r.kind === "result" && r.dir === "rx")
      .map((r) => [r.action, (r.payload as { status?: string }).status]);
    assert.deepEqual(
      results.filter(([a]) => a !== "Heartbeat"),
      [
        ["SetChargingProfile", "Accepted"],
        ["RemoteStopTransaction", "Accepted"],
      ],
    );
  } finally {
    await station.close();
    await csms.close();
  }
});

test("one CSMS, both versions: a 2.0.1 station and a 1.6 charge point side by side", async () => {
  const csms = await startCsms({ port: 0 });
  const mk = (identity: string, version: "1.6" | "2.0.1") =>
    startOcppStation({
      url: `${csms.url}/${identity}`,
      version,
      config: cfg,
      now: () => Date.now(),
      onEvse: () => {},
    });
  const a = await mk("NEW", "2.0.1");
  const b = await mk("OLD", "1.6");
  try {
    assert.ok(await a.registered(5_000));
    assert.ok(await b.registered(5_000));
    assert.deepEqual(csms.summary().protocols, { NEW: "ocpp2.0.1", OLD: "ocpp1.6" });
    assert.equal(csms.summary().schemaErrors, 0);
  } finally {
    await a.close();
    await b.close();
    await csms.close();
  }
});
