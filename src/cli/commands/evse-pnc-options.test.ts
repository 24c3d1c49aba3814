/**
 * The Plug & Charge options of `nacs evse`: `--pnc-without-tls` and `--sales-tariff` need `--pki DIR` (its
 * MO Sub-CA 2 key signs the tariff); `--receipt-required` (ISO 15118-2 ReceiptRequired) needs iso2 in
 * `--protocol`. The refusal names the option.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../errors.js";
import { parseEvseOptions } from "./evse.js";

test("nacs evse --sales-tariff parses with --pki and is refused without it, naming the option", () => {
  const o = parseEvseOptions({ iface: "lo", protocol: "iso2", pki: "/tmp/pnc", salesTariff: true });
  assert.equal(o.salesTariff, true);
  assert.equal(parseEvseOptions({ iface: "lo", protocol: "iso2" }).salesTariff, false);
  for (const [raw, option] of [
    [{ salesTariff: true }, "--sales-tariff"],
    [{ pncWithoutTls: true }, "--pnc-without-tls"],
  ] as const)
    assert.throws(
      () => parseEvseOptions({ iface: "lo", protocol: "iso2", ...raw }),
      (e: unknown) =>
        e instanceof UsageError && e.message.includes(option) && /needs --pki DIR/.test(e.message),
      option,
    );
});

test("nacs evse --receipt-required: parses with iso2 in --protocol, refused without it, naming the option", () => {
  assert.equal(
    parseEvseOptions({ iface: "lo", protocol: "din,iso2", receiptRequired: true }).receiptRequired,
    true,
  );
  assert.equal(parseEvseOptions({ iface: "lo", protocol: "iso2" }).receiptRequired, false);
  assert.throws(
    () => parseEvseOptions({ iface: "lo", protocol: "din,iso20", receiptRequired: true }),
    (e: unknown) =>
      e instanceof UsageError && e.message.includes("--receipt-required") && /needs iso2/.test(e.message),
  );
});
