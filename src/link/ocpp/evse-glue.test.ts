/**
 * The glue between a charger and its OCPP station: plug-in with the driver's token (or none on a remote
 * start), meter every observation, the charging state on each change, the end of the session once, and —
 * with a charger serving one session after another — the next session's charging seen afresh.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StationEvent } from "../../ocpp/index.js";
import { createOcppEvseGlue, type OcppEvseView } from "./evse-glue.js";
import type { OcppStation } from "./station-client.js";

/** A station that records what it is told and opens a transaction at plug-in, closes it at the end. */
function fakeStation() {
  const events: StationEvent[] = [];
  let tx: { authorized: boolean; transactionId: string | null } | null = null;
  let n = 0;
  const station = {
    push(ev: StationEvent) {
      events.push(ev);
      if (ev.kind === "plugged") tx = { authorized: false, transactionId: `T${++n}` };
      if (ev.kind === "session-end") tx = null;
    },
    get state() {
      return { tx };
    },
  } as unknown as OcppStation;
  return { station, events };
}

const view = (x: Partial<OcppEvseView>): OcppEvseView => ({
  plugged: false,
  energyWh: 0,
  powerW: 0,
  charging: false,
  over: false,
  stopCause: () => ({ kind: "ev", reason: "target reached" }),
  ...x,
});

const kinds = (events: StationEvent[]) =>
  events
    .filter((e) => e.kind !== "meter" && e.kind !== "tick")
    .map((e) => (e.kind === "charging" ? `charging:${e.state}` : e.kind));

test("sessions in a row: each plug-in, token, Charging, end — after an abrupt end the next Charging is not lost", () => {
  const { station, events } = fakeStation();
  let pending = 0;
  const glue = createOcppEvseGlue(station, {
    remoteStart: false,
    idToken: { idToken: "CARD", type: "ISO14443" },
    authorizationPending: () => pending++,
  });
  let t = 0;
  for (const abrupt of [false, true, false]) {
    glue.observe(view({ plugged: true }), ++t);
    glue.observe(view({ plugged: true, charging: true, energyWh: 100, powerW: 50_000 }), ++t);
    // an orderly end stops charging first; an abrupt one (the cable pulled) is over while still charging
    if (!abrupt) glue.observe(view({ plugged: true, charging: false }), ++t);
    glue.observe(view({ plugged: !abrupt, charging: abrupt, over: true }), ++t);
    glue.observe(view({ plugged: false, over: true }), ++t);
  }
  const orderly = [
    "plugged",
    "id-token",
    "charging:Charging",
    "charging:EVConnected",
    "session-end",
    "unplugged",
  ];
  const pulled = ["plugged", "id-token", "charging:Charging", "unplugged", "session-end"];
  assert.deepEqual(kinds(events), [...orderly, ...pulled, ...orderly]);
  assert.equal(pending, 3, "each plug-in waits for its own authorisation");
  assert.deepEqual([...glue.transactions], ["T1", "T2", "T3"]);
  const meter = events.find((e) => e.kind === "meter" && e.reading.energyWh === 100);
  assert.deepEqual(meter?.kind === "meter" && meter.reading, { energyWh: 100, powerW: 50_000 });
});

test("remote start: no token at plug-in; finish ends a transaction still open with the view's cause", () => {
  const { station, events } = fakeStation();
  const glue = createOcppEvseGlue(station, {
    remoteStart: true,
    idToken: { idToken: "CARD", type: "ISO14443" },
    authorizationPending: () => {},
  });
  glue.observe(view({ plugged: true }), 1);
  glue.finish(view({ plugged: true, stopCause: () => ({ kind: "time-limit" }) }), 2);
  assert.deepEqual(kinds(events), ["plugged", "session-end"]);
  const end = events.find((e) => e.kind === "session-end");
  assert.deepEqual(end?.kind === "session-end" && end.cause, { kind: "time-limit" });
});

test("Plug & Charge offered: nothing at plug-in; the EV's contract → Authorize eMAID with hash data; EIM → the card", async () => {
  const { issuePncPki } = await import("../pki/issuer.js");
  const pki = await issuePncPki();
  const leaf = new Uint8Array(pki["contract-leaf"].cert.rawData);
  const subCas = [new Uint8Array(pki["mo-sub-ca-2"].cert.rawData)];
  for (const payment of ["Contract", "ExternalPayment"] as const) {
    const { station, events } = fakeStation();
    const glue = createOcppEvseGlue(station, {
      remoteStart: false,
      pnc: true,
      idToken: { idToken: "CARD", type: "ISO14443" },
      authorizationPending: () => {},
    });
    glue.observe(view({ plugged: true }), 1);
    assert.deepEqual(kinds(events), ["plugged"], "nothing presented at plug-in");
    const contract = payment === "Contract" ? { emaid: "DENACC00000001", leaf, subCas } : undefined;
    for (let t = 2; t < 5; t++) glue.observe(view({ plugged: true, payment, contract }), t);
    const tokens = events.filter((e) => e.kind === "id-token");
    assert.equal(tokens.length, 1, "presented once");
    const tok = tokens[0]!;
    assert.ok(tok.kind === "id-token");
    if (payment === "Contract") {
      assert.deepEqual(tok.idToken, { idToken: "DENACC00000001", type: "eMAID" });
      assert.equal(tok.hashData?.length, 1);
      assert.equal(tok.hashData?.[0]?.hashAlgorithm, "SHA256");
    } else assert.deepEqual([tok.idToken, tok.hashData], [{ idToken: "CARD", type: "ISO14443" }, undefined]);
  }
});
