/**
 * `nacs/core`: the platform-neutral public API — pure state machines, wire formats and codecs with no Node
 * built-ins, so a browser bundler can take it. The Node entry `nacs` (src/index.ts) adds src/link.
 */

// Capture reader (pcap/pcapng; SLAC, SDP, V2G decoder; compliance check) as the namespace `capture`.
export * as capture from "./capture/index.js";
// Schema-informed EXI codecs (W3C EXI 1.0; DIN SPEC 70121, ISO 15118-2/-20 XSDs) as the namespace `codecs`.
export * as codecs from "./codecs/index.js";
// Connector catalogue and adapters (SAE J3400, SAE J1772, IEC 62196, CHAdeMO, GB/T).
export * from "./connectors/index.js";
// EV controllers and models: DC controller, basic AC (IEC 61851-1), on-board charger, traction battery.
export * from "./ev/index.js";
// EVSE controllers: DC (DIN SPEC 70121, ISO 15118-2), basic AC (IEC 61851-1 PWM), DC safety supervisor.
export * from "./evse/index.js";
// Clocks (real and virtual) and the one machine driver every host runs its controllers through.
export * from "./machine/index.js";
// Control pilot and proximity circuits (IEC 61851-1 Annex A, SAE J1772/J3400 PP, IEC 62196 Type 2 PP).
export * from "./pilot/index.js";
// SLAC over HomePlug Green PHY (ISO 15118-3): MME codec, NMK/NID keys, EV and EVSE matching machines.
export * from "./slac/index.js";
// V2G (DIN SPEC 70121, ISO 15118-2): SDP, V2GTP, supportedAppProtocol, SECC and EVCC session machines.
export * from "./v2g/index.js";
// ISO 15118-2 Plug & Charge (XMLDSig over EXI, certificates, contract envelope, local CPS) as the namespace `pnc`.
export * as pnc from "./v2g/pnc/index.js";

// Names exported twice above, resolved explicitly: the pilot detector's CpEvent keeps the plain name, the
// SLAC CP input gets a qualified alias.

export type { CpEvent } from "./pilot/index.js";
export type { CpEvent as SlacCpEvent } from "./slac/index.js";
