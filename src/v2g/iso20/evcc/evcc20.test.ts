/**
 * ISO 15118-20 DC on the EVCC machine against our SECC, back to back in virtual time: the request order of
 * libiso15118 and Josev in both control modes (every request allowed by the -20 sequence table), the last
 * DC_PreChargeReq carrying EVProcessing Finished, a -20 EV falling back to ISO-2 or DIN at a charger without
 * -20, an EV whose control mode the charger does not offer, pause and resume with the same SessionID.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runPair, stopEvAfterLoops } from "../../session/testing/pair.js";

/** The request names our EVCC sent, with consecutive repeats collapsed. */
function flow(wire: { from: string; name: string }[]): string[] {
  const out: string[] = [];
  for (const m of wire) if (m.from === "ev" && out[out.length - 1] !== m.name) out.push(m.name);
  return out;
}

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 ${mode}: our EVCC runs the whole -20 DC flow against our SECC and terminates`, () => {
    let stopAsked = false;
    const r = runPair(
      { protocols: ["iso20", "iso2", "din"], iso20ControlMode: mode },
      {},
      {
        onStep: (p, t) => {
          const loops = p.wire.filter((m) => m.name === "DC_ChargeLoopReq").length;
          if (loops >= 5 && !stopAsked) {
            stopAsked = true;
            return [{ at: t, to: "ev", ev: { kind: "control", control: { op: "stop" }, tMs: t } }];
          }
          return undefined;
        },
      },
    );
    assert.equal(r.negotiated, "iso20");
    assert.deepEqual(flow(r.wire), [
      "supportedAppProtocolReq",
      "SessionSetupReq",
      "AuthorizationSetupReq",
      "AuthorizationReq",
      "ServiceDiscoveryReq",
      "ServiceDetailReq",
      "ServiceSelectionReq",
      "DC_ChargeParameterDiscoveryReq",
      "ScheduleExchangeReq",
      "DC_CableCheckReq",
      "DC_PreChargeReq",
      "PowerDeliveryReq",
      "DC_ChargeLoopReq",
      "PowerDeliveryReq",
      "DC_WeldingDetectionReq",
      "SessionStopReq",
    ]);
    assert.equal(r.evEnd?.reason, "terminated");
    assert.equal(r.evseEnd?.reason, "terminated");
    assert.ok(r.evse.ev.targetCurrentA > 0, "the EVSE saw a charge current request");
    const types = new Set(r.wire.filter((m) => m.name.startsWith("DC_")).map((m) => m.payloadType));
    assert.deepEqual([...types], [0x8004]);
  });
}

test("iso20: the last DC_PreChargeReq carries EVProcessing Finished, the ones before Ongoing ([V2G20-2006])", () => {
  const seen: string[] = [];
  runPair(
    { protocols: ["iso20"] },
    {},
    {
      onStep: (p) => {
        const last = p.wire[p.wire.length - 1];
        if (
          last?.name === "DC_PreChargeReq" &&
          seen.length < p.wire.filter((m) => m.name === "DC_PreChargeReq").length
        )
          seen.push(p.ev.iso20?.preChargeFinished ? "Finished" : "Ongoing");
        return undefined;
      },
    },
  );
  assert.ok(seen.length >= 2, `${seen}`);
  assert.equal(seen[seen.length - 1], "Finished");
  assert.ok(seen.slice(0, -1).every((x) => x === "Ongoing"));
});

for (const [offer, got] of [
  [["iso2", "din"], "iso2"],
  [["din"], "din"],
] as const) {
  test(`a -20 EV (iso20,iso2,din) at a charger with only ${offer.join(",")} falls back to ${got} and charges`, () => {
    let asked = false;
    const r = runPair(
      { protocols: ["iso20", "iso2", "din"] },
      { protocols: [...offer] },
      {
        onStep: (p, t) => {
          if (asked || p.wire.filter((m) => m.name === "CurrentDemandReq").length < 3) return undefined;
          asked = true;
          return [{ at: t, to: "ev", ev: { kind: "control", control: { op: "stop" }, tMs: t } }];
        },
      },
    );
    assert.equal(r.negotiated, got);
    assert.ok(r.wire.some((m) => m.name === "CurrentDemandReq"));
    assert.equal(r.evEnd?.reason, "terminated");
  });
}

test("a -20-only EV at a charger without -20 → Failed_NoNegotiation on both sides", () => {
  const r = runPair({ protocols: ["iso20"] }, { protocols: ["iso2", "din"] });
  assert.equal(r.evEnd?.reason, "no-negotiation");
  assert.equal(r.evseEnd?.reason, "no-negotiation");
});

test("iso20: an EV wanting Dynamic at a Scheduled-only charger ends before ServiceSelection (incompatible)", () => {
  const r = runPair(
    { protocols: ["iso20"], iso20ControlMode: "dynamic" },
    { iso20ControlModes: ["scheduled"] },
  );
  assert.equal(r.evEnd?.reason, "incompatible");
  assert.match(r.evEnd?.detail ?? "", /ControlMode dynamic/);
  assert.ok(!r.wire.some((m) => m.name === "ServiceSelectionReq"));
});

test("iso20: pause after the charge, then resume with the same SessionID → OK_OldSessionJoined → DC_ChargeParameterDiscovery", () => {
  let asked = false;
  const first = runPair(
    { protocols: ["iso20"] },
    {},
    {
      onStep: (p, t) => {
        if (!asked && p.wire.filter((m) => m.name === "DC_ChargeLoopReq").length >= 2) {
          asked = true;
          return [{ at: t, to: "ev", ev: { kind: "control", control: { op: "pause" }, tMs: t } }];
        }
        return undefined;
      },
    },
  );
  assert.equal(first.evEnd?.reason, "paused");
  assert.equal(first.evseEnd?.reason, "paused");
  assert.ok(first.ev.paused && first.evse.paused);
  const id = first.evse.paused.sessionId;
  const again = runPair(
    {},
    {},
    { from: { ev: first.ev, evse: first.evse }, ...stopEvAfterLoops(1, "DC_ChargeLoopReq") },
  );
  assert.deepEqual(again.evse.sessionId, id, "the same SessionID");
  assert.ok(again.ev.resumed);
  assert.deepEqual(flow(again.wire).slice(0, 5), [
    "supportedAppProtocolReq",
    "SessionSetupReq",
    "DC_ChargeParameterDiscoveryReq",
    "ScheduleExchangeReq",
    "DC_CableCheckReq",
  ]);
  assert.equal(again.evEnd?.reason, "terminated");
});
