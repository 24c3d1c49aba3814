/** The phase a fleet session failed in, from what the EV saw (DIN / ISO 15118-2 and -20 sequences). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { failurePhase, type SessionTrace } from "./phase.js";

const t = (x: Partial<SessionTrace>): SessionTrace => ({
  protocol: "iso2",
  messageCounts: {},
  phases: [],
  reachedSdp: true,
  ...x,
});

test("before the V2G session: plug-in, SDP, TCP/TLS, supportedAppProtocol", () => {
  assert.equal(failurePhase(t({ reachedSdp: false })), "plug-in");
  assert.equal(failurePhase(t({})), "SDP");
  assert.equal(failurePhase(t({ v2gConnections: 1 })), "TCP/TLS");
  assert.equal(
    failurePhase(t({ v2gConnections: 1, messageCounts: { supportedAppProtocolReq: 1 } })),
    "supportedAppProtocol",
  );
});

test("the request being exchanged, in each protocol's order", () => {
  const iso2 = {
    supportedAppProtocolReq: 1,
    supportedAppProtocolRes: 1,
    SessionSetupReq: 1,
    SessionSetupRes: 1,
  };
  assert.equal(failurePhase(t({ messageCounts: iso2 })), "SessionSetup");
  assert.equal(
    failurePhase(t({ messageCounts: { ...iso2, ServiceDiscoveryReq: 1, ChargeParameterDiscoveryReq: 2 } })),
    "ChargeParameterDiscovery",
  );
  // ISO 15118-20: Authorization comes before ServiceDiscovery
  const iso20 = { SessionSetupReq: 1, AuthorizationSetupReq: 1, AuthorizationReq: 1, ServiceDiscoveryReq: 1 };
  assert.equal(failurePhase(t({ protocol: "iso20", messageCounts: iso20 })), "ServiceDiscovery");
  assert.equal(
    failurePhase(t({ protocol: "iso20", messageCounts: { ...iso20, DC_ChargeParameterDiscoveryReq: 1 } })),
    "ChargeParameterDiscovery",
  );
});

test("energy transfer phases: CableCheck, PreCharge, charge loop, stop", () => {
  const ph = (...p: string[]) => p.map((phase) => ({ phase }) as SessionTrace["phases"][number]);
  assert.equal(failurePhase(t({ phases: ph("cable-check") })), "CableCheck");
  assert.equal(failurePhase(t({ phases: ph("cable-check", "pre-charge") })), "PreCharge");
  assert.equal(failurePhase(t({ phases: ph("cable-check", "pre-charge", "charging") })), "charge loop");
  assert.equal(failurePhase(t({ phases: ph("charging", "stopping") })), "stop");
});
