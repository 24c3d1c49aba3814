/**
 * OCPP security profiles 2 and 3 (OCPP 2.0.1 Part 2 §A00) between the station client and the test CSMS
 * on loopback, with the throwaway test PKI: TLS with Basic auth (profile 2) and TLS with a client
 * certificate whose CN is the station's identity (profile 3) register; an untrusted CSMS, a missing client
 * certificate, another station's certificate and one from another PKI are refused, each with its reason.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { StationConfig } from "../../ocpp/index.js";
import { type Csms, startCsms } from "./csms.js";
import { OcppLinkError } from "./errors.js";
import { startOcppStation } from "./station-client.js";
import { openOcppTestPki } from "./tls-pki.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-tls-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const cfg: StationConfig = {
  chargingStation: { vendorName: "nacs", model: "test" },
  evseId: 1,
  connectorId: 1,
  txUpdatedIntervalS: 10,
  heartbeatIntervalS: 300,
  bootRetryS: 5,
  transactionPrefix: "CP1",
};
const PASSWORD = "0123456789abcdef-secret";

/** Connect station `id` with `tls` (and the password) and wait for its BootNotification to be accepted. */
async function boots(
  csms: Csms,
  id: string,
  tls: Parameters<typeof startOcppStation>[0]["tls"],
  password = true,
) {
  const station = await startOcppStation({
    url: `${csms.url}/${id}`,
    config: cfg,
    now: () => Date.now(),
    onEvse: () => {},
    tls,
    ...(password && { password: PASSWORD }),
    callTimeoutMs: 5_000,
  });
  try {
    return await station.registered(5_000);
  } finally {
    await station.close();
  }
}

/** The connect error of station `id`, or null if it connected. */
async function refusal(csms: Csms, id: string, tls: Parameters<typeof startOcppStation>[0]["tls"]) {
  try {
    await boots(csms, id, tls, false);
    return null;
  } catch (e) {
    assert.ok(e instanceof OcppLinkError, String(e));
    return e.message;
  }
}

test("security profile 2: wss:// with the CSMS's certificate and Basic auth; an untrusted CSMS is refused", async () => {
  const pki = await openOcppTestPki(join(dir, "p2"));
  const other = await openOcppTestPki(join(dir, "other"));
  const csms = await startCsms({ port: 0, password: PASSWORD, tls: pki.csms });
  try {
    assert.match(csms.url, /^wss:\/\/127\.0\.0\.1:\d+\/nacs$/);
    assert.equal(await boots(csms, "CP1", { caPem: pki.rootPem }), true, "registered over TLS");
    const why = await refusal(csms, "CP1", { caPem: other.rootPem });
    assert.match(String(why), /cannot connect: .*(certificate|self.signed|verify)/i);
    assert.equal(csms.summary().authFailures, 0, "refused by the station, before any HTTP");
  } finally {
    await csms.close();
  }
});

test("security profile 3: the station's certificate, CN = its identity; none, another's or a foreign one refused with the reason", async () => {
  const pki = await openOcppTestPki(join(dir, "p3"));
  const other = await openOcppTestPki(join(dir, "p3-other"));
  const csms = await startCsms({ port: 0, tls: { ...pki.csms, caPem: pki.rootPem, clientCerts: true } });
  try {
    const own = await pki.station("CP3");
    assert.equal(
      await boots(csms, "CP3", { caPem: pki.rootPem, certPem: own.certPem, keyPem: own.keyPem }, false),
      true,
    );
    const cases: [string, Parameters<typeof startOcppStation>[0]["tls"], RegExp][] = [
      ["CP4", { caPem: pki.rootPem }, /no client certificate/],
      [
        "CP4",
        { caPem: pki.rootPem, certPem: own.certPem, keyPem: own.keyPem },
        /CN "CP3" is not the station identity "CP4"/,
      ],
      ["CP3", { caPem: pki.rootPem, ...(await other.station("CP3")) }, /client certificate not trusted/],
    ];
    for (const [id, tls, reason] of cases) {
      const why = await refusal(csms, id, tls);
      assert.match(String(why), /cannot connect: Unauthorized/, `${id}: refused`);
      const last = csms.records.filter((r) => r.kind === "auth-failed").at(-1);
      assert.match(String(last?.detail), reason);
    }
    assert.equal(csms.summary().authFailures, 3);
  } finally {
    await csms.close();
  }
});
