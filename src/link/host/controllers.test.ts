/** The controller hosts alone: which port each effect reaches, on a virtual clock. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { dcBatteryConfig, evDcConfig, initialEvDc } from "../../ev/dc/index.js";
import { evseDcConfig, initialEvseDc, powerModuleConfig } from "../../evse/dc/index.js";
import { createVirtualClock } from "../../machine/index.js";
import { DUTY_DIGITAL_COMM, DUTY_F } from "../../pilot/index.js";
import { decodeSdpResponse, encodeSdpRequest, SDP_SECURITY_TLS, SDP_TRANSPORT_TCP } from "../../v2g/index.js";
import { createEvHost, createEvseHost } from "./controllers.js";

const MAC_EVSE = Uint8Array.of(2, 0, 0, 0, 0, 5);
const MAC_EV = Uint8Array.of(2, 0, 0, 0, 0, 0xe);
const random = (n: number) => new Uint8Array(n).fill(7);

function evseHost() {
  const clock = createVirtualClock();
  const board: string[] = [];
  const network: string[] = [];
  const observed: string[] = [];
  const host = createEvseHost({
    state: initialEvseDc(
      evseDcConfig({ module: powerModuleConfig("1000v", 250_000), slac: { mac: MAC_EVSE, random } }),
    ),
    clock,
    ports: {
      board: (c) => board.push(c.kind === "duty" ? `duty ${c.duty}` : c.kind),
      network: (e) => network.push(e.kind),
      observe: (f) => observed.push(f.kind),
    },
  });
  return { clock, host, board, network, observed };
}

test("EVSE host: CP B reaches the board as 5 % duty; SLAC timers stay with the driver; e-stop shows F", () => {
  const h = evseHost();
  h.host.push({ kind: "cp", state: "B", tMs: 0 });
  assert.deepEqual(h.board, [`duty ${DUTY_DIGITAL_COMM}`]);
  assert.deepEqual(h.network, ["slac-set-key"], "plug-in: a fresh NMK/NID for the local modem");
  assert.ok(h.observed.includes("duty") && h.observed.includes("phase"), h.observed.join());
  assert.ok(!h.observed.includes("set-timer"), "timer effects are the driver's");
  assert.ok(h.clock.pending > 0, "SLAC init timer armed on the clock");
  h.host.push({ kind: "emergency-stop", tMs: 10 });
  assert.ok(h.board.includes(`duty ${DUTY_F}`), h.board.join());
  assert.ok(h.board.includes("module"), "output off reaches the power module");
  assert.ok(h.observed.includes("trip"));
  assert.equal(h.host.state().stopReason, "emergency stop");
});

test("EVSE host: with no EV the SLAC timeout arrives as a timer event from the clock", () => {
  const h = evseHost();
  h.host.push({ kind: "cp", state: "B", tMs: 0 });
  while (h.clock.runNext() && h.host.state().phase === "slac");
  assert.equal(h.host.state().phase, "ended");
  assert.match(h.host.state().stopReason ?? "", /SLAC failed/);
});

test("EV host: PP latched reaches the board as a lock command; 5 % starts SLAC on the network port", () => {
  const clock = createVirtualClock();
  const board: string[] = [];
  const network: string[] = [];
  const cfg = evDcConfig({ battery: dcBatteryConfig("800v", 75), slac: { mac: MAC_EV, random } });
  const host = createEvHost({
    state: initialEvDc(cfg, 20, 700),
    clock,
    ports: { board: (c) => board.push(c.kind), network: (e) => network.push(e.kind) },
  });
  host.push({ kind: "pp", state: "latched", tMs: 0 });
  assert.deepEqual(board, ["lock"]);
  host.push({ kind: "lock", locked: true, tMs: 50 });
  host.push({ kind: "duty", duty: DUTY_DIGITAL_COMM, tMs: 100 });
  for (let i = 0; i < 20 && network.length === 0; i++) clock.runNext();
  assert.ok(network.includes("slac-send"), `network: ${network.join()}`);
});

test("EVSE without SLAC (matching none) answers SDP at once, with TLS when its server is TLS; board loss trips", () => {
  const clock = createVirtualClock();
  const network: Uint8Array[] = [];
  const host = createEvseHost({
    state: initialEvseDc(
      evseDcConfig({
        module: powerModuleConfig("1000v", 250_000),
        slac: { mac: MAC_EVSE, random },
        matching: "none",
        sdp: { address: new Uint8Array(16), port: 50_000, tls: true },
      }),
    ),
    clock,
    ports: {
      board() {},
      network: (e) => {
        if (e.kind === "sdp-reply") network.push(e.datagram);
      },
    },
  });
  host.push({ kind: "cp", state: "B", tMs: 0 });
  assert.equal(host.state().phase, "sdp");
  assert.equal(clock.pending, 0, "no SLAC timer");
  host.push({
    kind: "sdp-request",
    datagram: encodeSdpRequest({ security: SDP_SECURITY_TLS, transport: SDP_TRANSPORT_TCP }),
    tMs: 5,
  });
  assert.equal(network.length, 1);
  assert.equal(decodeSdpResponse(network[0]!).security, SDP_SECURITY_TLS);
  host.push({ kind: "board-lost", detail: "heartbeat", tMs: 10 });
  assert.equal(host.state().stopReason, "board lost");
  assert.equal(host.state().safety.trip?.fault, "board-lost");
});

test("EV without SLAC sends its SDP request as soon as the pilot shows 5 %", () => {
  const clock = createVirtualClock();
  const network: string[] = [];
  const cfg = evDcConfig({
    battery: dcBatteryConfig("800v", 75),
    slac: { mac: MAC_EV, random },
    matching: "none",
    tls: true,
  });
  const host = createEvHost({
    state: initialEvDc(cfg, 20, 700),
    clock,
    ports: { board() {}, network: (e) => network.push(e.kind) },
  });
  host.push({ kind: "pp", state: "latched", tMs: 0 });
  host.push({ kind: "duty", duty: DUTY_DIGITAL_COMM, tMs: 100 });
  assert.deepEqual(network, ["sdp-send"]);
  assert.equal(host.state().phase, "sdp");
  host.push({ kind: "board-lost", detail: "closed", tMs: 200 });
  assert.equal(host.state().stopReason, "board lost");
});
