/**
 * The EVSE-initiated pause (ISO 15118-20 EVSENotification Pause, [V2G20-3308]) on our EVCC against our SECC:
 * the SECC control `pause` puts EVSENotification Pause with its NotificationMaxDelay into the -20 responses,
 * the EVCC reads it apart from Terminate and runs PowerDelivery(Stop) → DC_WeldingDetection →
 * SessionStop(Pause), both keep the session, and a new connection resumes it (OK_OldSessionJoined). On
 * DIN 70121 / ISO 15118-2 the same control is StopCharging. And the EVCC carrying on after
 * WARNING_StandbyNotAllowed (a WARNING is not fatal).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createEvcc, stepEvcc } from "../../session/evcc.js";
import type { EvccState } from "../../session/evcc-state.js";
import { ISO20_PAUSE_NOTIFICATION_MAX_DELAY_S } from "../../session/secc-state.js";
import { type PairResult, runPair } from "../../session/testing/pair.js";
import type { EvccEffect } from "../../session/types.js";
import { decodeIso20, encodeIso20 } from "../envelope.js";

/** The request names our EVCC sent, with consecutive repeats collapsed. */
function flow(wire: { from: string; name: string }[]): string[] {
  const out: string[] = [];
  for (const m of wire) if (m.from === "ev" && out[out.length - 1] !== m.name) out.push(m.name);
  return out;
}

/**
 * Run a -20 pair; after `loops` DC_ChargeLoopReq the EVSE operator asks for a pause. `seen`: the first
 * notification the EVCC read (with its NotificationMaxDelay) and what it then meant to send in SessionStop.
 */
function pausedByEvse(
  mode: "scheduled" | "dynamic",
  loops = 3,
): PairResult & { seen: { n: string; d: number } | null; stopRequested: string | null } {
  let asked = false;
  let seen: { n: string; d: number } | null = null;
  const r = runPair(
    { protocols: ["iso20"], iso20ControlMode: mode },
    {},
    {
      onStep: (p, t) => {
        const e = p.ev.evse;
        if (!seen && e.notification !== "None") seen = { n: e.notification, d: e.notificationMaxDelayS };
        if (asked || p.wire.filter((m) => m.name === "DC_ChargeLoopReq").length < loops) return undefined;
        asked = true;
        return [{ at: t, to: "evse", ev: { kind: "control", control: { op: "pause" }, tMs: t } }];
      },
    },
  );
  return { ...r, seen, stopRequested: r.ev.stopRequested };
}

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 ${mode}: EVSE pause → EVSENotification Pause → PowerDelivery(Stop), WeldingDetection, SessionStop(Pause); resume → OK_OldSessionJoined`, () => {
    const first = pausedByEvse(mode);
    assert.deepEqual(
      first.seen,
      { n: "Pause", d: ISO20_PAUSE_NOTIFICATION_MAX_DELAY_S },
      "read as Pause, not Terminate",
    );
    assert.equal(first.stopRequested, "pause", "SessionStop(Pause)");
    assert.equal(first.evEnd?.reason, "paused", first.evEnd?.detail);
    assert.equal(first.evseEnd?.reason, "paused", first.evseEnd?.detail);
    assert.deepEqual(flow(first.wire).slice(-4), [
      "DC_ChargeLoopReq",
      "PowerDeliveryReq",
      "DC_WeldingDetectionReq",
      "SessionStopReq",
    ]);
    assert.ok(first.ev.paused && first.evse.paused, "both keep the session");
    assert.deepEqual(first.ev.paused.sessionId, first.evse.paused.sessionId);

    let stop = false;
    const again = runPair(
      {},
      {},
      {
        from: { ev: first.ev, evse: first.evse },
        onStep: (p, t) => {
          if (stop || p.wire.filter((m) => m.name === "DC_ChargeLoopReq").length < 2) return undefined;
          stop = true;
          return [{ at: t, to: "ev", ev: { kind: "control", control: { op: "stop" }, tMs: t } }];
        },
      },
    );
    assert.ok(again.ev.resumed, "OK_OldSessionJoined");
    assert.deepEqual(again.evse.sessionId, first.evse.paused.sessionId, "the same SessionID");
    assert.deepEqual(flow(again.wire).slice(0, 3), [
      "supportedAppProtocolReq",
      "SessionSetupReq",
      "DC_ChargeParameterDiscoveryReq",
    ]);
    assert.ok(
      again.wire.some((m) => m.name === "DC_ChargeLoopReq"),
      "charging again",
    );
    assert.equal(again.evEnd?.reason, "terminated");
  });
}

for (const protocol of ["iso2", "din"] as const) {
  test(`${protocol}: the EVSE pause control is StopCharging (no EVSE-initiated pause there): the session terminates`, () => {
    let asked = false;
    const r = runPair(
      { protocols: [protocol] },
      { protocols: [protocol] },
      {
        onStep: (p, t) => {
          if (asked || p.wire.filter((m) => m.name === "CurrentDemandReq").length < 3) return undefined;
          asked = true;
          return [{ at: t, to: "evse", ev: { kind: "control", control: { op: "pause" }, tMs: t } }];
        },
      },
    );
    assert.equal(r.negotiated, protocol);
    assert.ok(asked);
    assert.equal(r.evEnd?.reason, "terminated");
    assert.equal(r.evseEnd?.reason, "terminated");
    assert.equal(r.evse.paused, null);
    assert.deepEqual(flow(r.wire).slice(-2), ["WeldingDetectionReq", "SessionStopReq"]);
  });
}

test("iso20: PowerDeliveryRes WARNING_StandbyNotAllowed → the EVCC carries on into the charge loop (no end, no hang)", () => {
  let at: EvccState | null = null;
  runPair(
    { protocols: ["iso20"] },
    {},
    {
      maxSteps: 2_000,
      onStep: (p) => {
        const last = p.wire[p.wire.length - 1];
        if (!at && last?.from === "ev" && last.name === "PowerDeliveryReq" && p.ev.progress === "start")
          at = p.ev;
        return undefined;
      },
    },
  );
  assert.ok(at, "the EVCC sent PowerDeliveryReq(Start)");
  const s0 = at as EvccState;
  assert.equal(s0.pending, "PowerDelivery");
  const res = encodeIso20(s0.sessionId ?? createEvcc().sessionId!, "PowerDeliveryRes", {
    ResponseCode: "WARNING_StandbyNotAllowed",
  });
  const [s1, fx] = stepEvcc(s0, {
    kind: "message",
    payloadType: res.payloadType!,
    bytes: res.bytes,
    tMs: s0.nowMs + 5,
  });
  assert.ok(!fx.some((f) => f.kind === "session-end"), JSON.stringify(fx.filter((f) => f.kind === "log")));
  assert.notEqual(s1.conn, "ended");
  const sent = fx.find((f): f is Extract<EvccEffect, { kind: "send" }> => f.kind === "send");
  assert.equal(sent?.name, "DC_ChargeLoopReq");
  assert.equal(decodeIso20(sent.bytes, sent.payloadType, "request").element, "DC_ChargeLoopReq");
  assert.ok(s1.charging);
});
