/**
 * The capture viewer's pipeline on real vehicle sessions: the same events as `nacs decode --json`, the
 * `--check` report, and the session record built from them (samples, phases, messages). Skips without
 * ../shared/captures.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { eventToJson } from "../../../src/capture/format.js";
import { decodeCaptureFile } from "../../../src/capture/node/file.js";
import { sharedSkip } from "../../../tools/codegen/vectors.js";
import { applyEvents, createSessionModel } from "../model/session-model.js";
import { decodeCaptureBytes } from "./decode.js";
import { captureToRecord, sampleValues } from "./to-record.js";

const DIR = fileURLToPath(new URL("../../../../shared/captures/EVerest-logfiles/", import.meta.url));
const MG4 = `${DIR}MG__MG4_electric__dinspec-DC.dump`;
const skip = sharedSkip("captures/EVerest-logfiles/MG__MG4_electric__dinspec-DC.dump");

test(
  "capture viewer: same events as nacs decode --json, check report, record with samples and phases",
  { skip },
  async () => {
    const r = await decodeCaptureBytes(new Uint8Array(readFileSync(MG4)));
    const cli: string[] = [];
    await decodeCaptureFile(MG4, {}, (e) => cli.push(eventToJson(e)));
    assert.equal(r.events.length, cli.length);
    assert.deepEqual(r.events.map(eventToJson), cli);
    assert.equal(r.decoder.v2gMessages, 328);
    assert.equal(r.report.sessions.length, 1);

    const m = applyEvents(createSessionModel(), captureToRecord(r.events));
    assert.equal(m.messages.length, 328);
    assert.equal(m.config?.protocol, "din");
    assert.deepEqual(
      m.phases.map((p) => p.phase),
      ["cable-check", "pre-charge", "charging", "stopping"],
    );
    const has = (k: "v" | "i" | "evTargetV" | "evTargetA" | "soc" | "p") =>
      m.samples[k].some((x) => x !== null);
    assert.ok(has("v") && has("i") && has("evTargetV") && has("evTargetA") && has("soc") && has("p"));
    assert.ok(m.messages.filter((x) => x.rttMs !== undefined).length > 150);
    assert.ok(m.progress.some((p) => /SLAC CM_SLAC_PARM/.test(p.step)));
  },
);

const TLS = fileURLToPath(
  new URL(
    "../../../../shared/captures/dsV2Gshark/ISO-2_DC_PnC_TLS_Contract_DS5366_RiseV2G.pcapng",
    import.meta.url,
  ),
);
test(
  "capture viewer: TLS decrypted with the secrets disclosed in the capture, as nacs decode does",
  { skip: sharedSkip("captures/dsV2Gshark/ISO-2_DC_PnC_TLS_Contract_DS5366_RiseV2G.pcapng") },
  async () => {
    const r = await decodeCaptureBytes(new Uint8Array(readFileSync(TLS)));
    assert.equal(r.decoder.tlsConnections, 1);
    assert.equal(r.decoder.v2gMessages, 190);
    assert.equal(r.decoder.v2gErrors, 0);
    assert.ok(r.events.some((e) => e.type === "PaymentDetailsReq" && e.tls));
  },
);

test("capture viewer: sample values from DIN PhysicalValues with multipliers", () => {
  assert.deepEqual(
    sampleValues({
      DC_EVStatus: { EVRESSSOC: 55 },
      EVTargetCurrent: { Multiplier: -1, Unit: "A", Value: 1234 },
      EVTargetVoltage: { Multiplier: 0, Unit: "V", Value: 400 },
    }),
    { soc: 55, evTargetA: 123.4, evTargetV: 400 },
  );
  assert.deepEqual(
    sampleValues({
      EVSEPresentVoltage: { Multiplier: 0, Value: 400 },
      EVSEPresentCurrent: { Multiplier: 0, Value: 10 },
    }),
    { v: 400, i: 10, p: 4000 },
  );
});

test("capture viewer: decode time of the largest capture (reported figure)", { skip }, async () => {
  const files = readdirSync(DIR).map((f) => `${DIR}${f}`);
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  const bytes = new Uint8Array(readFileSync(largest));
  const r = await decodeCaptureBytes(bytes);
  console.log(
    `decode ${largest.split("/").pop()} (${(bytes.length / 1024).toFixed(0)} KiB): ${r.decodeMs.toFixed(0)} ms, ${r.events.length} events`,
  );
  assert.ok(r.events.length > 0);
});
