/**
 * The ISO 15118-20 scenario commands: evse_pause (EVSENotification Pause, ISO 15118-20) in a full simulated
 * session with the EV's resume (OK_OldSessionJoined), iso_start_bpt_discharge / iso_stop_bpt_discharge
 * (the EV's dischargeRequested reading), iso_set_departure_time and EVerest's iso_start_v2g_session shapes
 * (energy mode DC_BPT, departure time and EAmount), and their rejection outside an ISO 15118-20 session.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DcSession, type DcSessionOptions } from "../dc/index.js";
import {
  checkScenarioProtocol,
  parseEverestString,
  parseScenarioText,
  ScenarioError,
  ScenarioRunner,
} from "./index.js";

const base: DcSessionOptions = {
  batteryKwh: 75,
  socStart: 30,
  targetSoc: 80,
  chargerKw: 250,
  protocol: "iso20",
  seed: 1,
};

/** A runner that samples the simulator after every step of the script. */
class Probe extends ScenarioRunner {
  readonly samples: { cmd: string | undefined; pausedId: string | null; phase: string }[] = [];
  sess: DcSession | null = null;
  override attach(session: DcSession): void {
    super.attach(session);
    this.sess = session;
  }
  override tick(): void {
    super.tick();
    const c = this.sess?.sim.ctl;
    if (!c) return;
    const id = c.evse.secc.paused?.sessionId;
    this.samples.push({
      cmd: this.blockedAt?.text,
      pausedId: id ? Buffer.from(id).toString("hex") : null,
      phase: c.ev.phase,
    });
  }
}

function run(commands: string, over: Partial<DcSessionOptions> = {}) {
  const runner = new Probe(parseEverestString(commands));
  const session = new DcSession({ ...base, ...over, driver: runner });
  const r = session.run();
  const at = (text: string) => runner.log.find((l) => l.text === text && l.event === "done")?.tMs;
  return { r, runner, session, at };
}

for (const control of ["scheduled", "dynamic"] as const)
  test(`iso20 ${control}: evse_pause → the EV pauses (SessionStop Pause), iso_wait_for_resume → OK_OldSessionJoined, charging again`, () => {
    const { r, runner, session, at } = run(
      "iso_wait_slac_matched;iso_start_v2g_session DC;iso_wait_pwr_ready;sleep 10;evse_pause;iso_wait_pause;iso_wait_for_resume 5;sleep 10;iso_stop_charging;iso_wait_v2g_session_stopped;unplug",
      { control },
    );
    assert.equal(runner.done, true, `blocked at ${runner.blockedAt?.text}`);
    assert.equal(r.protocol, "iso20");
    assert.equal(r.stopReason, "stopped by the driver");
    const paused = runner.samples.find((x) => x.cmd === "iso_wait_for_resume 5" && x.pausedId);
    assert.ok(paused, "the SECC kept the paused session while the EV waited to resume");
    assert.equal(paused.phase, "paused");
    assert.equal(r.messages.SessionSetupReq, 2, "a second SessionSetup");
    assert.equal(r.messages.SessionStopReq, 2, "SessionStop(Pause), later SessionStop(Terminate)");
    assert.ok((r.messages.DC_WeldingDetectionReq ?? 0) >= 2, "welding detection before each SessionStop");
    const c = session.sim.ctl;
    assert.equal(c.ev.evcc.resumed, true, "OK_OldSessionJoined");
    assert.equal(Buffer.from(c.evse.secc.sessionId!).toString("hex"), paused.pausedId, "the same SessionID");
    assert.equal(c.evse.secc.paused, null, "the paused session was joined");
    assert.ok(at("iso_wait_for_resume 5")! - at("iso_wait_pause")! >= 5000);
    assert.deepEqual(r.safety, []);
  });

test("iso2: evse_pause is StopCharging there — the session ends, nothing to resume", () => {
  const { r, runner, session } = run(
    "iso_wait_slac_matched;iso_start_v2g_session DC;iso_wait_pwr_ready;sleep 10;evse_pause;iso_wait_v2g_session_stopped",
    { protocol: "iso2" },
  );
  assert.equal(runner.done, true);
  assert.equal(r.messages.SessionStopReq, 1);
  assert.equal(session.sim.ctl.evse.secc.paused, null);
  assert.equal(session.sim.ctl.ev.phase, "ended");
});

test("iso_start_bpt_discharge / iso_stop_bpt_discharge set and clear the EV's dischargeRequested reading", () => {
  const seen: boolean[] = [];
  const runner = new Probe(
    parseEverestString(
      "iso_wait_slac_matched;iso_start_v2g_session DC_BPT;iso_wait_pwr_ready;iso_start_bpt_discharge;sleep 2;iso_stop_bpt_discharge;sleep 2;iso_stop_charging;iso_wait_v2g_session_stopped",
    ),
  );
  // the script decides when the EV gives energy back (not from the start, as a plain dc-bpt session does)
  const session = new DcSession({
    ...base,
    socStart: 50,
    service: "dc-bpt",
    discharge: false,
    driver: runner,
  });
  const tick = runner.tick.bind(runner);
  runner.tick = () => {
    tick();
    const d = session.sim.ctl.ev.evcc.readings.dischargeRequested;
    if (seen[seen.length - 1] !== d) seen.push(d);
  };
  const r = session.run();
  assert.deepEqual(seen, [false, true, false]);
  // and the energy really went both ways: into the car, out during the 2 s of discharge, in again
  assert.ok(r.energyDischargedWh > 10, `discharged ${r.energyDischargedWh} Wh`);
  assert.ok(
    r.energyDeliveredWh + r.energyDischargedWh > 1,
    `charged too: net ${r.energyDeliveredWh} Wh, discharged ${r.energyDischargedWh} Wh`,
  );
  assert.equal(session.sim.ctl.ev.evcc.cfg.bidirectional, true, "DC_BPT: the EV asks for bidirectional DC");
  assert.equal(session.sim.ctl.ev.evcc.iso20?.serviceId, 6, "DC_BPT selected");
});

test("iso_set_departure_time / iso_start_v2g_session MODE,PAYMENT,DEPARTURE,EAMOUNT reach the EVCC as a departure time", () => {
  for (const [script, want] of [
    ["iso_wait_slac_matched;iso_set_departure_time 3600;iso_start_v2g_session DC;iso_wait_pwr_ready", 3600],
    ["iso_wait_slac_matched;iso_start_v2g_session DC,ExternalPayment,1800,0;iso_wait_pwr_ready", 1800],
    ["iso_wait_slac_matched;iso_start_v2g_session DC,900,20000;iso_wait_pwr_ready", 900],
  ] as const) {
    const { runner, session } = run(script, { maxDurationS: 120 });
    const set = runner.log.find((l) => l.event === "start" && /departure|,/.test(l.text))!;
    const at = session.sim.ctl.ev.evcc.cfg.departureAtMs;
    assert.equal(at, set.tMs + want * 1000, script);
  }
});

test("parse: DC_BPT and EVerest's 1–4 argument shapes of iso_start_v2g_session; rules name the argument", () => {
  const c = parseEverestString(
    "iso_start_v2g_session DC_BPT;iso_start_v2g_session DC,auto;iso_start_v2g_session DC,3600,0;iso_start_v2g_session dc externalpayment 60 5000;iso_set_departure_time 600",
  );
  assert.deepEqual(
    c.map((x) => x.args),
    [["dc_bpt"], ["dc", "auto"], ["dc", 3600, 0], ["dc", "externalpayment", 60, 5000], [600]],
  );
  for (const [bad, rule] of [
    ["iso_start_v2g_session AC_BPT", /AC, AC_BPT: --mode ac/],
    ["iso_start_v2g_session DC,3600,x", /argument 3, the energy amount EAmount \(Wh\), must be an integer/],
    ["iso_start_v2g_session DC,Contract,60,0", /payment "Contract"/],
    ["iso_start_v2g_session DC,ExternalPayment,soon,0", /argument 3, the departure time/],
    ["iso_set_departure_time 1.5", /whole number of seconds/],
    ["iso_set_departure_time", /takes 1 argument/],
    ["iso_start_bpt_discharge 5", /takes 0 argument/],
  ] as const)
    assert.throws(
      () => parseEverestString(bad),
      (e: unknown) => e instanceof ScenarioError && rule.test(e.message) && e.message.includes(`"${bad}"`),
      bad,
    );
});

test("the -20 commands are rejected with the rule when the session is not ISO 15118-20 (and departure on DIN)", () => {
  for (const [script, protocol, rule] of [
    [
      "sleep 1;iso_start_bpt_discharge",
      "iso2",
      /command 2 "iso_start_bpt_discharge".*needs protocol iso20, this session's protocol is iso2/,
    ],
    ["iso_stop_bpt_discharge", "din", /ISO 15118-20 BPT.*protocol is din/],
    [
      "iso_start_v2g_session DC_BPT",
      "iso2",
      /energy mode DC_BPT is an ISO 15118-20 service: needs protocol iso20/,
    ],
    ["iso_set_departure_time 60", "din", /DIN 70121 has no DepartureTime/],
    ["iso_start_v2g_session DC,60,0", "din", /DIN 70121 has no DepartureTime/],
  ] as const) {
    const cmds = parseEverestString(script);
    assert.throws(() => checkScenarioProtocol(cmds, protocol), rule, script);
    assert.throws(
      () => new DcSession({ ...base, protocol, driver: new ScenarioRunner(cmds) }),
      (e: unknown) => e instanceof ScenarioError && rule.test(e.message),
      `${script} attached to a ${protocol} session`,
    );
  }
  assert.doesNotThrow(() =>
    checkScenarioProtocol(parseEverestString("iso_start_bpt_discharge;iso_set_departure_time 60"), "iso20"),
  );
  assert.doesNotThrow(() => checkScenarioProtocol(parseEverestString("iso_set_departure_time 60"), "iso2"));
});

test("a -20 EV at a charger without -20 (fallback to ISO-2): iso_start_bpt_discharge is logged as ignored", () => {
  const logs: string[] = [];
  const runner = new ScenarioRunner(
    parseEverestString(
      "iso_wait_slac_matched;iso_start_v2g_session DC;iso_wait_pwr_ready;iso_start_bpt_discharge",
    ),
  );
  const session = new DcSession({
    ...base,
    maxDurationS: 120,
    evseConfig: { secc: { protocols: ["iso2", "din"] } },
    evConfig: { evcc: { protocols: ["iso20", "iso2", "din"] } },
    driver: runner,
    onRecord: (e) => {
      if (e.type === "log") logs.push(String((e as { msg?: unknown }).msg));
    },
  });
  session.run();
  assert.equal(session.sim.ctl.ev.evcc.protocol, "iso2");
  assert.equal(session.sim.ctl.ev.evcc.readings.dischargeRequested, false);
  assert.ok(
    logs.some((m) => /iso_start_bpt_discharge: ignored: the session runs iso2/.test(m)),
    logs.join("\n"),
  );
});

test("examples/scenarios/iso20-evse-pause.yaml runs: paused by the EVSE, resumed, departure time sent", () => {
  const text = readFileSync(
    new URL("../../../examples/scenarios/iso20-evse-pause.yaml", import.meta.url),
    "utf8",
  );
  const sc = parseScenarioText(text, "yaml");
  const runner = new ScenarioRunner(sc.commands);
  const session = new DcSession({ ...base, ...sc.options, driver: runner });
  const r = session.run();
  assert.equal(runner.done, true, `blocked at ${runner.blockedAt?.text}`);
  assert.equal(r.messages.SessionSetupReq, 2);
  assert.equal(session.sim.ctl.ev.evcc.resumed, true);
  assert.ok((session.sim.ctl.ev.evcc.cfg.departureAtMs ?? 0) > 7_000_000);
});

test("iso20: the EV's own pause (iso_pause_charging) resumes too — the resumed -20 session keeps its DC service for the EV's DC decision", () => {
  const { r, runner, session } = run(
    "iso_wait_slac_matched;iso_start_v2g_session DC;iso_dc_power_on;sleep 5;iso_pause_charging;iso_wait_pause;iso_wait_for_resume 5;sleep 5;iso_stop_charging;iso_wait_v2g_session_stopped",
  );
  assert.equal(runner.done, true, `blocked at ${runner.blockedAt?.text}`);
  assert.equal(r.stopReason, "stopped by the driver");
  assert.equal(r.messages.SessionSetupReq, 2);
  assert.equal(session.sim.ctl.ev.evcc.resumed, true);
  assert.deepEqual(session.sim.ctl.ev.evcc.evse.modes, ["DC_extended"]);
  assert.deepEqual(r.safety, []);
});
