/**
 * The Plug & Charge options of `nacs ev` / `nacs evse` with ISO 15118-20: `--pki DIR` and `--payment contract`
 * are accepted with iso20 in --protocol (ISO 15118-20 PnC), not only with iso2; `--install-contract` still
 * needs iso2 (ISO 15118-20 CertificateInstallation is not implemented); the refusals name the option and the
 * rule. The ISO-2 rules are unchanged.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../errors.js";
import { parseEvOptions } from "./ev.js";
import { parseEvseOptions } from "./evse.js";

test("nacs ev --protocol iso20 --pki DIR --payment contract and nacs evse --protocol iso20 --pki DIR parse", () => {
  const ev = parseEvOptions({ iface: "lo", protocol: "iso20", pki: "/p", payment: "contract" });
  assert.equal(ev.payment, "contract");
  assert.equal(ev.pki, "/p");
  const evse = parseEvseOptions({ iface: "lo", protocol: "iso20", pki: "/p" });
  assert.equal(evse.pki, "/p");
  // ISO-2 as before
  assert.equal(
    parseEvOptions({ iface: "lo", protocol: "iso2", pki: "/p", payment: "contract" }).payment,
    "contract",
  );
});

for (const [parse, raw, option, rule] of [
  [parseEvOptions, { protocol: "din", pki: "/p", payment: "contract" }, "--payment", /iso2 or iso20/],
  [parseEvseOptions, { protocol: "din", pki: "/p" }, "--pki", /iso2 or iso20/],
  [
    parseEvOptions,
    { protocol: "iso20", pki: "/p", payment: "contract", installContract: true },
    "--install-contract",
    /needs iso2 in --protocol/,
  ],
] as const) {
  test(`${parse === parseEvOptions ? "nacs ev" : "nacs evse"} ${JSON.stringify(raw)} is refused naming ${option}`, () => {
    assert.throws(
      () => (parse as (r: Record<string, unknown>) => unknown)({ iface: "lo", ...raw }),
      (e: unknown) => e instanceof UsageError && e.message.includes(option) && rule.test(e.message),
    );
  });
}
