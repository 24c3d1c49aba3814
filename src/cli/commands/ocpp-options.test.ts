/** The OCPP flags of `nacs simulate`: each rule named; a run without --ocpp parses as before. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../errors.js";
import { parseSimulateOptions } from "./simulate-options.js";

test("--ocpp flags: URL, version, the flags that need --ocpp, the combinations refused", () => {
  const url = "ws://127.0.0.1:9220/nacs/CP1";
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ocpp: "http://x/CP1" }, /--ocpp: .*scheme must be ws or wss/],
    [{ ocpp: "ws://x/" }, /--ocpp: .*station identity/],
    [{ ocpp: url, ocppVersion: "1.6", ocppIdToken: "x".repeat(21) }, /--ocpp-id-token: .*at most 20/],
    [{ ocpp: url, ocppVersion: "2.1" }, /--ocpp-version: .*must be "2.0.1" or "1.6"/],
    [{ ocppIdToken: "T" }, /--ocpp-id-token: .*needs --ocpp/],
    [{ ocppMeterInterval: "5" }, /--ocpp-meter-interval: .*needs --ocpp/],
    [{ ocpp: url, ocppIdToken: "x".repeat(37) }, /--ocpp-id-token/],
    [{ ocpp: url, ocppMeterInterval: "-1" }, /--ocpp-meter-interval/],
    [{ ocpp: url, transport: "tcp" }, /--ocpp: .*--transport tcp/],
    [{ ocpp: url, realtime: true }, /--ocpp: .*paces the run itself/],
    [{ ocpp: url, mode: "ac" }, /--ocpp: .*high-level communication/],
    [{ installContract: true }, /--install-contract: .*needs --payment contract/],
    [{ ocppRemoteStart: true }, /--ocpp-remote-start: .*needs --ocpp/],
    [{ ocppPassword: "0123456789abcdef" }, /--ocpp-password: .*needs --ocpp/],
    [{ ocpp: url, ocppPassword: "short" }, /--ocpp-password/],
    [{ ocpp: url, ocppCa: "root.pem" }, /--ocpp-ca: .*needs a wss:\/\/ --ocpp URL/],
    [{ ocppCa: "root.pem" }, /--ocpp-ca: .*needs --ocpp/],
    [{ ocpp: "wss://h/CP1", ocppCert: "c.pem" }, /--ocpp-cert: .*--ocpp-cert and --ocpp-key go together/],
    [{ ocpp: "wss://h/CP1", ocppKey: "k.pem" }, /--ocpp-key: .*go together/],
    [
      { ocpp: url, ocppRemoteStart: true, ocppIdToken: "T" },
      /--ocpp-id-token: .*no token with --ocpp-remote-start/,
    ],
  ];
  for (const [raw, re] of bad)
    assert.throws(
      () => parseSimulateOptions(raw),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      `${JSON.stringify(raw)} should match ${re}`,
    );
  const ok = parseSimulateOptions({ ocpp: url, speed: "50", ocppMeterInterval: "10" });
  assert.equal(ok.ocpp, url);
  assert.equal(ok.speed, 50, "--speed paces an --ocpp run");
  assert.equal(ok.ocppVersion, undefined);
  const v16 = parseSimulateOptions({ ocpp: url, ocppVersion: "1.6", ocppIdToken: "x".repeat(20) });
  assert.equal(v16.ocppVersion, "1.6", "--ocpp-version 1.6 is taken");
  // Plug & Charge over 1.6 in DataTransfer (OCA whitepaper)
  const pnc16 = parseSimulateOptions({
    ocpp: url,
    ocppVersion: "1.6",
    payment: "contract",
    installContract: true,
  });
  assert.equal(pnc16.installContract, true);
  const plain = parseSimulateOptions({});
  assert.ok(!Object.keys(plain).some((k) => k.startsWith("ocpp")), "nothing added without --ocpp");
});

test("--ocpp-queue and --ocpp-offline-auth: need --ocpp; the queue for both versions, offline auth 2.0.1 only", () => {
  const url = "ws://127.0.0.1:9220/nacs/CP1";
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ocppQueue: "/tmp/q" }, /--ocpp-queue: .*needs --ocpp/],
    [{ ocppOfflineAuth: "accept" }, /--ocpp-offline-auth: .*needs --ocpp/],
    [{ ocpp: url, ocppOfflineAuth: "maybe" }, /--ocpp-offline-auth: .*must be "accept" or "reject"/],
    [{ ocpp: url, ocppVersion: "1.6", ocppOfflineAuth: "accept" }, /--ocpp-offline-auth: .*2\.0\.1 only/],
  ];
  for (const [raw, re] of bad)
    assert.throws(
      () => parseSimulateOptions(raw),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      `${JSON.stringify(raw)} should match ${re}`,
    );
  const ok = parseSimulateOptions({ ocpp: url, ocppQueue: "/tmp/q", ocppOfflineAuth: "accept" });
  assert.equal(ok.ocppQueue, "/tmp/q");
  assert.equal(ok.ocppOfflineAuth, "accept");
  assert.equal(
    parseSimulateOptions({ ocpp: url, ocppVersion: "1.6", ocppQueue: "/tmp/q" }).ocppQueue,
    "/tmp/q",
  );
});
