/** The EV's EVCCID is the MAC of its PLC interface (ISO 15118-2 [V2G2-879]), not a fixed value. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { dcBatteryConfig, evDcConfig, initialEvDc } from "./index.js";

test("EVCCID = the EV's MAC (the SLAC / interface MAC), unless configured", () => {
  const mac = Uint8Array.of(0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee);
  const cfg = evDcConfig({ battery: dcBatteryConfig(), slac: { mac, random: (n) => new Uint8Array(n) } });
  assert.deepEqual([...initialEvDc(cfg, 50, 700).evcc.cfg.evccId], [...mac]);
  const fixed = Uint8Array.of(1, 2, 3, 4, 5, 6);
  const own = initialEvDc({ ...cfg, evcc: { evccId: fixed } }, 50, 700);
  assert.deepEqual([...own.evcc.cfg.evccId], [...fixed]);
});
