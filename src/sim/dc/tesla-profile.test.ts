/**
 * The Tesla vehicle profile (`--ev-profile tesla`) against our EVSE: the car's wire behaviour as public
 * captures of Tesla cars at DIN SPEC 70121 chargers show it (EVerest/logfiles Tesla Model 3 / Model Y,
 * uhi22/pyPLC Model Y and Model X) — and our EVSE completes the DIN session with it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { din as dinCodec, paddingOf } from "../../codecs/index.js";
import { EV_STOP_WELDED } from "../../ev/dc/types.js";
import { TESLA_SLAC_RUN_ID } from "../../ev/profiles.js";
import { SAFE_VOLTAGE_V } from "../../v2g/index.js";
import { DcSession, type DcSessionOptions } from "./session.js";
import type { WireEvent } from "./wire.js";

/** supportedAppProtocolReq of a Tesla Model 3 (EVerest/logfiles, frame 43), identical in the Model Y captures. */
const TESLA_SAP_REQ_HEX =
  "8000dbab9371d3234b71d1b981899189d191818991d26b9b3a232b30020000040401b75726e3a7465736c613a64696e3a323031383a4d736744656600001c0100080";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The DIN Body of a V2GTP message (8-byte header + EXI), or {} when it is not a DIN V2G_Message. */
function dinBody(m: Uint8Array): Record<string, unknown> {
  try {
    const doc = dinCodec.decodeDocument(m.subarray(8)) as { V2G_Message?: { Body: Record<string, unknown> } };
    return doc.V2G_Message?.Body ?? {};
  } catch {
    return {};
  }
}

function run(extra: Partial<DcSessionOptions> = {}) {
  const wire: { tMs: number; e: WireEvent }[] = [];
  const r = new DcSession({
    batteryKwh: 75,
    socStart: 20,
    targetSoc: 21,
    chargerKw: 250,
    protocol: "iso2",
    seed: 1,
    evProfile: "tesla",
    onWire: (tMs, e) => wire.push({ tMs, e }),
    ...extra,
  }).run();
  const evV2g = wire.flatMap((w) => (w.e.kind === "v2gtp" && w.e.from === "ev" ? [w.e.message] : []));
  return { r, wire, evV2g };
}

test("tesla profile: our EVSE completes a DIN session; no WeldingDetection, SessionStop after PowerDelivery", () => {
  const { r } = run();
  assert.equal(r.stopReason, "target SOC reached");
  assert.equal(r.protocol, "din");
  assert.equal(r.messages.WeldingDetectionReq ?? 0, 0);
  assert.equal(r.messages.SessionStopReq, 1);
  assert.ok((r.messages.CurrentDemandReq ?? 0) > 10);
  assert.deepEqual(r.safety, []);
});

test("tesla profile, welded contactor: without WeldingDetection the car still finds the weld on its live inlet after the session and keeps it locked", () => {
  const session = new DcSession({
    batteryKwh: 54,
    socStart: 67,
    targetSoc: 80,
    chargerKw: 150,
    protocol: "iso2",
    seed: 1918689678,
    evProfile: "tesla",
    evClass: "400v",
    fault: "welded-contactor",
  });
  const r = session.run();
  assert.equal(r.messages.WeldingDetectionReq ?? 0, 0, "the profile runs no WeldingDetection");
  assert.equal(r.stopReason, EV_STOP_WELDED);
  assert.equal(session.sim.lock.locked, true, "the inlet stays locked");
  assert.ok(session.sim.path.inletVoltageV >= SAFE_VOLTAGE_V, "the inlet is still live");
});

test("tesla profile: the supportedAppProtocolReq is byte for byte the one Tesla cars send", () => {
  const { evV2g } = run();
  const sap = evV2g[0]!;
  assert.equal(hex(sap.subarray(8)), TESLA_SAP_REQ_HEX);
});

test("tesla profile: ContractAuthenticationReq carries one trailing zero byte, counted in the V2GTP length", () => {
  const { evV2g } = run();
  const ca = evV2g.find((m) => "ContractAuthenticationReq" in dinBody(m));
  assert.ok(ca, "no ContractAuthenticationReq");
  const len = new DataView(ca.buffer, ca.byteOffset).getUint32(4);
  assert.equal(len, ca.length - 8);
  assert.equal(ca[ca.length - 1], 0);
  // The decoder records the extra byte as padding (and re-encoding restores it).
  const decoded = dinCodec.decodeDocument(ca.subarray(8));
  assert.equal(paddingOf(decoded), 1);
  assert.equal(dinCodec.encodeDocument(decoded).length, len);
});

test("tesla profile: SLAC RunID 'TESLA EV'; ChargeParameterDiscoveryReq without the optional energy fields", () => {
  const { wire, evV2g } = run();
  const parm = wire.find((w) => w.e.kind === "slac" && w.e.from === "ev");
  assert.ok(parm && parm.e.kind === "slac");
  assert.deepEqual((parm.e.frame.mme as { runId?: Uint8Array }).runId, TESLA_SLAC_RUN_ID);
  const cpd = evV2g.map(dinBody).find((b) => "ChargeParameterDiscoveryReq" in b) as
    | { ChargeParameterDiscoveryReq: { DC_EVChargeParameter: Record<string, unknown> } }
    | undefined;
  assert.ok(cpd);
  const p = cpd.ChargeParameterDiscoveryReq.DC_EVChargeParameter;
  for (const f of ["EVEnergyCapacity", "EVEnergyRequest", "FullSOC", "BulkSOC"])
    assert.equal(p[f], undefined, f);
  assert.ok(p.EVMaximumVoltageLimit);
});

test("tesla profile at a Supercharger-style EVSE handing out 4-byte SessionIDs: the session completes", () => {
  const { r, wire } = run({ evseConfig: { secc: { sessionIdLength: 4 } } });
  assert.equal(r.stopReason, "target SOC reached");
  const setupRes = wire.find(
    (w) => w.e.kind === "v2gtp" && w.e.from === "evse" && "SessionSetupRes" in dinBody(w.e.message),
  );
  assert.ok(setupRes && setupRes.e.kind === "v2gtp");
  const doc = dinCodec.decodeDocument(setupRes.e.message.subarray(8)) as {
    V2G_Message: { Header: { SessionID: Uint8Array } };
  };
  assert.equal(doc.V2G_Message.Header.SessionID.length, 4);
});
