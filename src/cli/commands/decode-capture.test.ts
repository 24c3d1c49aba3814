import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedSkip } from "../../../tools/codegen/vectors.js";
import { UsageError } from "../errors.js";
import { run } from "../main.js";
import { runDecodeCapture } from "./decode-capture.js";

const dir = fileURLToPath(new URL("../../../../shared/captures/", import.meta.url));
const DIN = `${dir}EVerest-logfiles/MG__MG4_electric__dinspec-DC.dump`;
const TLS = `${dir}dsV2Gshark/ISO-2_DC_PnC_TLS_Contract_DS5366_RiseV2G.pcapng`;
const skip = sharedSkip("captures/EVerest-logfiles");

async function capture(file: string, raw: Record<string, unknown>): Promise<{ out: string[]; err: string }> {
  const out: string[] = [];
  let err = "";
  await runDecodeCapture(file, raw, {
    out: (l) => out.push(l),
    err: (t) => {
      err += t;
    },
    isTty: false,
  });
  return { out, err };
}

test(
  "nacs decode FILE --json: one object per message, v2g messages with schema, type and message",
  { skip },
  async () => {
    const { out } = await capture(DIN, { json: true });
    const objs = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const v2g = objs.filter((o) => o.layer === "v2g");
    assert.equal(v2g.length, 328);
    assert.ok(
      v2g.every(
        (o) => typeof o.t === "number" && (o.from === "ev" || o.from === "evse") && o.message && !o.error,
      ),
    );
    assert.deepEqual(new Set(v2g.map((o) => o.schema)), new Set(["apphand", "din"]));
    const cd = v2g.find((o) => o.type === "CurrentDemandReq")!;
    assert.equal(cd.from, "ev");
    assert.ok(objs.some((o) => o.layer === "slac") && objs.some((o) => o.layer === "sdp"));
  },
);

test(
  "nacs decode FILE: timeline lines with direction, units and a summary; TLS decrypted from disclosed secrets",
  { skip: sharedSkip("captures/EVerest-logfiles", "captures/dsV2Gshark") },
  async () => {
    const { out } = await capture(DIN, {});
    assert.ok(
      out.some((l) =>
        /EV→EVSE\s+v2g\s+din\s+CurrentDemandReq .*EVTargetCurrent=[\d.]+ A .*EVTargetVoltage=[\d.]+ V/.test(
          l,
        ),
      ),
      out.slice(60, 70).join("\n"),
    );
    assert.ok(
      out.some((l) => /EVSE→EV\s+v2g\s+din\s+CurrentDemandRes .*EVSEPresentVoltage=[\d.]+ V/.test(l)),
    );
    assert.match(out.at(-1)!, /328 V2G messages \(0 not decoded\)/);
    const tls = await capture(TLS, {});
    assert.match(tls.out.at(-1)!, /190 V2G messages \(0 not decoded\).*\(1 TLS\)/);
    assert.ok(tls.out.some((l) => /PaymentDetailsReq.*\[TLS\]/.test(l)));
  },
);

test("nacs decode FILE --check: report with sessions, response times and findings", { skip }, async () => {
  const { out } = await capture(DIN, { check: true });
  const text = out.join("\n");
  assert.match(text, /^Sessions: 1/);
  assert.match(text, /stop: /);
  assert.match(text, /CurrentDemandRes\s+n=\s*\d+/);
  assert.match(text, /Findings: \d+ errors/);
  const json = JSON.parse((await capture(DIN, { check: true, json: true })).out[0]!) as {
    sessions: unknown[];
  };
  assert.equal(json.sessions.length, 1);
});

test("nacs decode FILE: bad options are usage errors naming the option", { skip }, async () => {
  await assert.rejects(
    capture(DIN, { schema: "apphand" }),
    (e: unknown) => e instanceof UsageError && /--schema/.test(e.message),
  );
  await assert.rejects(
    capture(DIN, { hex: "8000" }),
    (e: unknown) => e instanceof UsageError && /--hex/.test(e.message),
  );
  await assert.rejects(
    capture("/nonexistent.pcap", {}),
    (e: unknown) => e instanceof UsageError && /does not exist/.test(e.message),
  );
  const k = join(mkdtempSync(join(tmpdir(), "nacs-kl-")), "empty.keys");
  writeFileSync(k, "# nothing\n");
  await assert.rejects(
    capture(DIN, { tlsKeylog: k }),
    (e: unknown) => e instanceof UsageError && /--tls-keylog/.test(e.message),
  );
  // through the real command line: the FILE argument reaches this module
  assert.equal(await run(["decode", DIN, "--schema", "nope"]), 2);
});
