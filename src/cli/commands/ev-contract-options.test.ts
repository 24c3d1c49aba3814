/**
 * `nacs ev --contract-store` / `--renew-days`: they need `--payment contract`; `--renew-days` is a whole
 * number of days, 0 to EV_MAX_RENEW_DAYS; both parse with Contract payment.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../errors.js";
import { EV_MAX_RENEW_DAYS, parseEvOptions } from "./ev.js";

const base = { iface: "lo", slac: false };
const contract = { ...base, payment: "contract", pki: "/tmp/pnc", protocol: "iso2" };

test("--contract-store and --renew-days parse with --payment contract", () => {
  const o = parseEvOptions({ ...contract, contractStore: "/tmp/s", renewDays: "30" });
  assert.equal(o.contractStore, "/tmp/s");
  assert.equal(o.renewDays, 30);
  assert.equal(parseEvOptions(contract).renewDays, undefined, "absent: the EVCC's default");
});

test("--contract-store / --renew-days without --payment contract, or a bad day count, is a usage error naming the option", () => {
  for (const [raw, re] of [
    [{ ...base, contractStore: "/tmp/s" }, /contract-store.*--payment contract/],
    [{ ...base, renewDays: "5" }, /renew-days.*--payment contract/],
    [{ ...contract, renewDays: "-1" }, /renew-days/],
    [{ ...contract, renewDays: "1.5" }, /renew-days/],
    [{ ...contract, renewDays: String(EV_MAX_RENEW_DAYS + 1) }, /renew-days/],
  ] as const)
    assert.throws(
      () => parseEvOptions(raw),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      JSON.stringify(raw),
    );
});
