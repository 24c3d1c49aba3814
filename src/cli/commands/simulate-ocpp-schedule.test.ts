/**
 * Acceptance of OCPP 2.0.1 K15 "ISO 15118 charging with a charging profile": `nacs simulate --ocpp` against
 * `nacs csms` (both spawned, loopback). The CSMS's RequestStartTransaction carries a TxProfile of two periods
 * (0 s: 50 kW, 600 s: 120 kW); the session's ISO 15118-2 ChargeParameterDiscoveryRes (PMaxScheduleEntry) /
 * ISO 15118-20 ScheduleExchangeRes (PowerScheduleEntry) carries both. A second SetChargingProfile in the charge
 * loop (0 s: 30 kW, 300 s: 80 kW) makes the SECC ask for a renegotiation (ISO-2 EVSENotification ReNegotiation,
 * -20 ScheduleRenegotiation); the EV goes back for the schedule and receives the new one.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { iso2 } from "../../codecs/index.js";
import { hexToBytes } from "../../exi/hex.js";
import { decodeIso20 } from "../../v2g/iso20/envelope.js";
import { assertOcppClean, type Rec, runCsmsSession } from "../testing/csms-session.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-sched-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const txProfile = (periods: [number, number][]) => ({
  id: 7,
  stackLevel: 0,
  chargingProfilePurpose: "TxProfile",
  chargingProfileKind: "Relative",
  chargingSchedule: [
    {
      id: 7,
      chargingRateUnit: "W",
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
    },
  ],
});

const SCRIPT = [
  {
    when: { action: "TransactionEvent", match: { eventType: "Started" } },
    delayMs: 100,
    call: "RequestStartTransaction",
    payload: {
      idToken: { idToken: "APP-USER-1", type: "Central" },
      remoteStartId: 3,
      chargingProfile: txProfile([
        [0, 50_000],
        [600, 120_000],
      ]),
    },
  },
  {
    when: { action: "TransactionEvent", match: { "transactionInfo.chargingState": "Charging" } },
    delayMs: 300,
    call: "SetChargingProfile",
    payload: {
      evseId: 1,
      chargingProfile: {
        ...txProfile([
          [0, 30_000],
          [300, 80_000],
        ]),
        transactionId: "$transactionId",
      },
    },
  },
];

/** A schedule entry as the tests compare it: start (s from now), power (W), duration (s) when sent. */
type Entry = { start: number; powerW: number; duration?: number };

const pvW = (v: { Value: number; Multiplier: number }) => v.Value * 10 ** v.Multiplier;

/** The PMaxScheduleEntry list of every ISO-2 ChargeParameterDiscoveryRes (Finished) of the record. */
function iso2Schedules(record: Rec[]): Entry[][] {
  const out: Entry[][] = [];
  for (const m of record.filter((e) => e.type === "msg" && e.name === "ChargeParameterDiscoveryRes")) {
    const body = iso2.decode(hexToBytes(String(m.bytes))).Body as {
      ChargeParameterDiscoveryRes?: iso2.ChargeParameterDiscoveryResType;
    };
    const list = body.ChargeParameterDiscoveryRes?.SAScheduleList;
    if (!list) continue;
    const entries = list.SAScheduleTuple[0]!.PMaxSchedule.PMaxScheduleEntry;
    out.push(
      entries.map((e) => ({
        start: Number(e.RelativeTimeInterval!.start),
        powerW: pvW(e.PMax),
        ...(e.RelativeTimeInterval!.duration !== undefined && {
          duration: Number(e.RelativeTimeInterval!.duration),
        }),
      })),
    );
  }
  return out;
}

/** The ChargingSchedule of every -20 ScheduleExchangeRes (Finished), starts summed from the Durations. */
function iso20Schedules(record: Rec[]): Entry[][] {
  const out: Entry[][] = [];
  for (const m of record.filter((e) => e.type === "msg" && e.name === "ScheduleExchangeRes")) {
    const { body } = decodeIso20(
      hexToBytes(String(m.bytes)),
      Number(m.payloadType),
      "response",
    ) as unknown as {
      body: {
        EVSEProcessing: string;
        Scheduled_SEResControlMode?: {
          ScheduleTuple: {
            ChargingSchedule: {
              PowerSchedule: {
                PowerScheduleEntries: {
                  PowerScheduleEntry: { Duration: number; Power: { Value: number; Exponent: number } }[];
                };
              };
            };
          }[];
        };
      };
    };
    if (body.EVSEProcessing !== "Finished" || !body.Scheduled_SEResControlMode) continue;
    const entries =
      body.Scheduled_SEResControlMode.ScheduleTuple[0]!.ChargingSchedule.PowerSchedule.PowerScheduleEntries
        .PowerScheduleEntry;
    let start = 0;
    out.push(
      entries.map((e) => {
        const x = { start, powerW: e.Power.Value * 10 ** e.Power.Exponent, duration: e.Duration };
        start += e.Duration;
        return x;
      }),
    );
  }
  return out;
}

/** Names of the V2G messages in record order. */
const names = (record: Rec[]) => record.filter((e) => e.type === "msg").map((e) => String(e.name));

/**
 * First schedule: 50 kW from 0, 120 kW from (600 s − the time since the profile came, ± 1 s), to one day;
 * the renegotiated one: 30 kW, then 80 kW from about 300 s. Both end at 86,400 s.
 */
function checkSchedules(all: Entry[][], who: string) {
  assert.equal(all.length, 2, `${who}: two schedules (the first and the renegotiated one)`);
  const [first, second] = all as [Entry[], Entry[]];
  assert.deepEqual(
    first.map((e) => e.powerW),
    [50_000, 120_000],
    `${who}: first schedule ${JSON.stringify(first)}`,
  );
  assert.equal(first[0]!.start, 0);
  assert.ok(first[1]!.start > 500 && first[1]!.start <= 600, `${who}: second period at ${first[1]!.start} s`);
  assert.equal(first[1]!.start + first[1]!.duration!, 86_400, "the last entry runs to one day");
  assert.deepEqual(
    second.map((e) => e.powerW),
    [30_000, 80_000],
    `${who}: renegotiated schedule ${JSON.stringify(second)}`,
  );
  assert.ok(second[1]!.start > 200 && second[1]!.start <= 300, `${who}: 80 kW at ${second[1]!.start} s`);
  assert.equal(second[1]!.start + second[1]!.duration!, 86_400);
}

test("simulate --ocpp (ISO 15118-2 DC): a two-period TxProfile is the SAScheduleList; a new profile in the loop → ReNegotiation, the EV gets the new schedule", async () => {
  const r = await runCsmsSession({
    dir,
    name: "iso2",
    script: SCRIPT,
    station: "CP1",
    simulateArgs: ["--ocpp-remote-start"],
  });
  assertOcppClean(r);
  assert.equal(r.sim.ocpp.received.SetChargingProfile, 1);
  checkSchedules(iso2Schedules(r.record), "ISO-2");
  // the renegotiation: ReNegotiation in a CurrentDemandRes, then PowerDelivery(Renegotiate), CPD, PowerDelivery
  const seq = names(r.record);
  const second = seq.lastIndexOf("ChargeParameterDiscoveryReq");
  assert.ok(seq.slice(0, second).includes("CurrentDemandReq"), "the second CPD came from the charge loop");
  assert.deepEqual(seq.slice(second - 2, second), ["PowerDeliveryReq", "PowerDeliveryRes"]);
  assert.ok(!seq.slice(second).includes("CableCheckReq"), "no new cable check");
  const renegotiate = r.record.find(
    (e) =>
      e.type === "msg" &&
      e.name === "CurrentDemandRes" &&
      (
        iso2.decode(hexToBytes(String(e.bytes))).Body as {
          CurrentDemandRes: iso2.CurrentDemandResType;
        }
      ).CurrentDemandRes.DC_EVSEStatus.EVSENotification === "ReNegotiation",
  );
  assert.ok(renegotiate, "a CurrentDemandRes with EVSENotification ReNegotiation");
  assert.equal(r.sim.stopReason, "target SOC reached");
});

test("simulate --ocpp --protocol iso20 (Scheduled): the TxProfile is the PowerSchedule; a new profile → ScheduleRenegotiation, the EV gets the new schedule", async () => {
  const r = await runCsmsSession({
    dir,
    name: "iso20",
    script: SCRIPT,
    station: "CP2",
    simulateArgs: ["--ocpp-remote-start", "--protocol", "iso20", "--control", "scheduled"],
  });
  assertOcppClean(r);
  checkSchedules(iso20Schedules(r.record), "ISO-20");
  const seq = names(r.record);
  const second = seq.lastIndexOf("ScheduleExchangeReq");
  assert.deepEqual(seq.slice(second - 2, second), ["PowerDeliveryReq", "PowerDeliveryRes"]);
  assert.ok(seq.slice(0, second).includes("DC_ChargeLoopReq"), "from the charge loop");
  assert.ok(!seq.slice(second).includes("DC_CableCheckReq"), "no new cable check");
  assert.ok(seq.slice(second).includes("DC_ChargeLoopReq"), "back in the charge loop");
  assert.equal(r.sim.stopReason, "target SOC reached");
});
