/**
 * Embedding the EVSE DC controller of `nacs`: a pure step function `(state, event) → [state, effects]`.
 * The host feeds what it measures (CP state, SLAC frames, V2G bytes, timers) and carries out the effects
 * (PWM duty, frames to send, timers, power module, contactors). Here an EV plugs in (CP state B,
 * IEC 61851-1); the DC EVSE answers with 5 % duty (digital communication required, IEC 61851-1 Annex A)
 * and starts SLAC (ISO 15118-3): the EV's CM_SLAC_PARM.REQ is answered with CM_SLAC_PARM.CNF.
 *
 *   npm run build && node --import tsx examples/embed-evse.ts
 */
import {
  type EvseDcEffect,
  type EvseDcEvent,
  evseDcConfig,
  initialEvseDc,
  powerModuleConfig,
  slacParmReq,
  stepEvseDc,
} from "nacs";

const evseMac = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01);
const evMac = Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x02);
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n)); // Web Crypto: NMK, run ids

// A J3400 1000 V / 250 kW power module, SLAC with no modem to configure; the rest from defaults.
const cfg = evseDcConfig({ module: powerModuleConfig("1000v"), slac: { mac: evseMac, random } });
let state = initialEvseDc(cfg);

const events: EvseDcEvent[] = [
  { kind: "cp", state: "B", tMs: 0 },
  { kind: "slac-frame", frame: slacParmReq(evMac, random(8)), tMs: 150 },
];
const show = (e: EvseDcEffect) =>
  e.kind === "slac-send" ? `slac-send ${e.frame.mme.kind}` : JSON.stringify(e);
for (const event of events) {
  let effects: EvseDcEffect[];
  [state, effects] = stepEvseDc(state, event);
  console.log(`t=${event.tMs} ms ${event.kind}${"state" in event ? ` ${event.state}` : ""}`);
  for (const e of effects) console.log(`  → ${show(e)}`);
}
