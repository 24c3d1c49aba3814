/**
 * EVCC timeouts on the simulator, in virtual time: every per-message timeout (DIN 70121 §9.6, ISO 15118-2
 * §8.8.2 V2G_EVCC_Msg_Timeout) fires exactly at its constant when the SECC falls silent just before the
 * request, and the phase timeouts (Ongoing, CableCheck, PreCharge) fire when their phase overruns. A
 * timeout ends the EV's session with a named stop reason.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createImd, IMD_HEALTHY_OHM } from "../../evse/dc/index.js";
import {
  defaultSeccReadings,
  evccMsgTimeoutMs,
  type MsgName,
  V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2024_MS,
  V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS,
  V2G_EVCC_ONGOING_TIMEOUT_MS,
  V2G_EVCC_PRE_CHARGE_TIMEOUT_MS,
} from "../../v2g/index.js";
import { SIM_DC_NET_LATENCY_MS } from "./constants.js";
import type { DcSessionOptions } from "./session.js";
import { type FlowRun, runFlow, sentAt } from "./v2g-test-support.js";

const SCENARIOS: { label: string; o: Partial<DcSessionOptions> }[] = [
  { label: "din DC", o: { protocol: "din" } },
  { label: "iso2 DC", o: { protocol: "iso2" } },
  {
    label: "iso2 AC",
    o: { energy: "ac", socStart: 50, targetSoc: 50.05, evseConfig: { secc: { receiptRequired: true } } },
  },
  { label: "din DC (2024 edition)", o: { protocol: "din", evConfig: { evcc: { dinEdition: "2024" } } } },
];

/** The protocol-neutral name of a request ("ServicePaymentSelectionReq" → "PaymentSelection"). */
function canonical(req: string): MsgName | "SAP" {
  const n = req.replace(/Req$/, "");
  if (n === "supportedAppProtocol") return "SAP";
  if (n === "ServicePaymentSelection" || n === "PaymentServiceSelection") return "PaymentSelection";
  if (n === "ContractAuthentication") return "Authorization";
  return n as MsgName;
}

for (const { label, o } of SCENARIOS) {
  test(`${label}: each per-message EVCC timeout fires exactly at its constant`, (t) => {
    const ref = runFlow(o);
    assert.equal(ref.summary.stopReason, "target SOC reached");
    const ev = ref.sim.ctl.ev.evcc;
    const firstSent = new Map<string, number>();
    for (const m of ref.sent) if (m.from === "ev" && !firstSent.has(m.name)) firstSent.set(m.name, m.tMs);
    const rows: string[] = [];
    for (const [req, at] of firstSent) {
      const name = canonical(req);
      const expected = evccMsgTimeoutMs(name === "SAP" ? null : ev.protocol, name, ev.cfg.dinEdition);
      const r = runFlow(o, (sim) => sim.ctl.muteEvseV2gFrom(at));
      const end = r.evccEnd;
      assert.ok(end, `${req}: the EVCC's session ended abnormally`);
      assert.match(end.reason, /^timeout: V2G_EVCC_Msg_Timeout/, `${req}: ${end.reason}`);
      // The EV stops with a named reason (unless it had already stopped, e.g. at its target SOC).
      assert.match(r.evStop?.reason ?? "", /timeout|pre-charge failed|target SOC reached/);
      // The muted run is the reference run up to `at`: the request goes out at the same time.
      const sent = sentAt(r, req, "last");
      assert.equal(sent, at, `${req} sent at ${sent} ms, reference ${at} ms`);
      assert.equal(
        end.tMs - sent,
        expected,
        `${req}: measured ${end.tMs - sent} ms, constant ${expected} ms`,
      );
      rows.push(`${req.replace(/Req$/, "")} ${end.tMs - sent}`);
    }
    assert.ok(rows.length >= 9, rows.join(", "));
    t.diagnostic(`${label} measured EVCC message timeouts (ms): ${rows.join(", ")}`);
  });
}

/** Time from the response that starts a phase (as received by the EV) to the EV's stop. */
function phaseTimeout(r: FlowRun, startedBy: string, which: "first" | "last" = "first"): number {
  assert.ok(r.evStop, "the EV stopped");
  return r.evStop.tMs - (sentAt(r, startedBy, which) + SIM_DC_NET_LATENCY_MS);
}

test("CableCheck phase: V2G_EVCC_CableCheck_Timeout (ISO-2 40 s, DIN 2024 38 s) after ChargeParameterDiscovery", (t) => {
  const slowImd = (sim: FlowRun["sim"]) => {
    sim.world.imd = createImd(IMD_HEALTHY_OHM, 120_000);
  };
  const iso = runFlow({ protocol: "iso2" }, slowImd);
  assert.match(iso.evStop?.reason ?? "", /^communication timeout: .*CableCheck/);
  assert.equal(phaseTimeout(iso, "ChargeParameterDiscoveryRes"), V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS);
  const din = runFlow({ protocol: "din", evConfig: { evcc: { dinEdition: "2024" } } }, slowImd);
  assert.equal(phaseTimeout(din, "ChargeParameterDiscoveryRes"), V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2024_MS);
  t.diagnostic(
    `CableCheck timeout measured: ISO-2 ${phaseTimeout(iso, "ChargeParameterDiscoveryRes")} ms, DIN-2024 ${phaseTimeout(din, "ChargeParameterDiscoveryRes")} ms`,
  );
});

test("PreCharge phase: V2G_EVCC_PreCharge_Timeout 7 s when the EVSE cannot reach the battery voltage", (t) => {
  const r = runFlow({ protocol: "iso2" }, (sim) =>
    sim.at(0, "module strings fail", (s) => s.inject("precharge-mismatch")),
  );
  assert.match(r.evStop?.reason ?? "", /^pre-charge failed: .*PreCharge/);
  // The PreCharge timer starts with the CableCheckRes that said Finished (the last one).
  const measured = phaseTimeout(r, "CableCheckRes", "last");
  assert.equal(measured, V2G_EVCC_PRE_CHARGE_TIMEOUT_MS);
  t.diagnostic(`PreCharge timeout measured ${measured} ms`);
});

test("Ongoing: Authorization pending for longer than V2G_EVCC_Ongoing_Timeout (60 s) ends the session", (t) => {
  const readings = { ...defaultSeccReadings(), authorization: "pending" as const };
  const r = runFlow({ protocol: "iso2", evseConfig: { secc: { readings } } });
  assert.match(r.evStop?.reason ?? "", /^communication timeout: .*Ongoing/);
  const measured = phaseTimeout(r, "PaymentServiceSelectionRes");
  assert.equal(measured, V2G_EVCC_ONGOING_TIMEOUT_MS);
  t.diagnostic(`Ongoing timeout measured ${measured} ms`);
});

test("a FAILED response ends both sides: DIN EVSE offering DC_core to an EV asking DC_extended", () => {
  const r = runFlow({ protocol: "din", evseConfig: { secc: { energyModes: ["DC_core"] } } });
  assert.match(r.evStop?.reason ?? "", /FAILED_WrongEnergyTransferType/);
  const trip = r.summary.safety[0];
  assert.equal(trip?.fault, "session-error", JSON.stringify(r.summary.safety));
  assert.match(trip.detail, /failed-response/);
  assert.equal(r.summary.energyDeliveredWh, 0);
});
