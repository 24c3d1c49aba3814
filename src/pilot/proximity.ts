/**
 * J1772 / J3400 proximity (PP) network (SAE J1772, kept by SAE J3400): connector 150 Ω PP→PE (latched),
 * 480 Ω with the latch button pressed; vehicle 330 Ω pull-up to 5 V and 2.7 kΩ pull-down. Voltages,
 * tolerance ranges and classification unplugged / unlatched (≈ 2.77 V) / latched / fault.
 */
import { requireValue } from "./errors.js";
import {
  PP_R_BUTTON_OHM,
  PP_R_LATCHED_OHM,
  PP_R_PULLDOWN_OHM,
  PP_R_PULLUP_OHM,
  PP_THRESHOLD_FAULT_ABOVE_V,
  PP_THRESHOLD_FAULT_BELOW_V,
  PP_THRESHOLD_LATCHED_MAX_V,
  PP_THRESHOLD_UNLATCHED_MAX_V,
  PP_V_PULLUP,
} from "./pp-constants.js";

/** Proximity state as the EV classifies it (community Tesla CAN database names: DISCONNECTED/UNLATCHED/LATCHED). */
export type PpState = "unplugged" | "unlatched" | "latched" | "fault";

/** Vehicle-side PP network: pull-up supply and resistor, pull-down resistor (SAE J1772). */
export interface PpNetwork {
  vPullUp: number;
  rPullUp: number;
  rPullDown: number;
}

/** Nominal vehicle network: 5 V, 330 Ω pull-up, 2.7 kΩ pull-down (pyPLC, a public PP firmware header). */
export const NOMINAL_PP_NETWORK: PpNetwork = Object.freeze({
  vPullUp: PP_V_PULLUP,
  rPullUp: PP_R_PULLUP_OHM,
  rPullDown: PP_R_PULLDOWN_OHM,
});

/** Connector side: nothing plugged, latched (150 Ω), button pressed (150 + 330 Ω), or a raw resistance. */
export type PpConnector =
  | { kind: "none" }
  | { kind: "latched" }
  | { kind: "button-pressed" }
  | { kind: "ohms"; r: number };

/** PP→PE resistance of the connector side (Infinity when nothing is plugged). SAE J1772 connector network. */
export function ppConnectorResistance(conn: PpConnector): number {
  switch (conn.kind) {
    case "none":
      return Number.POSITIVE_INFINITY;
    case "latched":
      return PP_R_LATCHED_OHM;
    case "button-pressed":
      return PP_R_LATCHED_OHM + PP_R_BUTTON_OHM;
    case "ohms":
      if (conn.r === Number.POSITIVE_INFINITY) return conn.r;
      requireValue("r", conn.r, "≥ 0 Ω (Infinity = open)", (v) => v >= 0);
      return conn.r;
  }
}

/** Divider voltage for a connector resistance `rc` (Infinity = open). */
function dividerVoltage(net: PpNetwork, rc: number): number {
  requireValue("rPullUp", net.rPullUp, "> 0 Ω", (v) => v > 0);
  requireValue("rPullDown", net.rPullDown, "> 0 Ω", (v) => v > 0);
  requireValue("vPullUp", net.vPullUp, "a finite voltage", () => true);
  const rp = Number.isFinite(rc) ? (net.rPullDown * rc) / (net.rPullDown + rc) : net.rPullDown;
  return (net.vPullUp * rp) / (net.rPullUp + rp);
}

/**
 * PP voltage the EV measures: V = Vpu·Rp/(Rpu + Rp), Rp = Rpd ∥ Rconnector.
 * Nominal: unplugged 4.455 V, button pressed 2.763 V, latched 1.505 V.
 */
export function ppVoltage(net: PpNetwork, conn: PpConnector): number {
  return dividerVoltage(net, ppConnectorResistance(conn));
}

/**
 * Min/max PP voltage over all tolerance corners: every resistor (pull-up, pull-down, connector 150 Ω and,
 * with the button pressed, the 330 Ω independently) at ±`tolerance` (fraction, e.g. 0.03 for ±3 %, 0.01 for
 * ±1 % DC; SAE J3400 per an SAE J3400-2023 overview page, unconfirmed). The supply is taken as exact. The
 * divider is monotonic in each resistor, so the extremes lie on corners.
 */
export function ppVoltageRange(
  net: PpNetwork,
  conn: PpConnector,
  tolerance: number,
): { min: number; max: number } {
  requireValue("tolerance", tolerance, "in [0, 1)", (v) => v >= 0 && v < 1);
  const parts: number[] =
    conn.kind === "none"
      ? []
      : conn.kind === "button-pressed"
        ? [PP_R_LATCHED_OHM, PP_R_BUTTON_OHM]
        : [ppConnectorResistance(conn)];
  const scales = [1 - tolerance, 1 + tolerance];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const corners = 1 << (2 + parts.length);
  for (let mask = 0; mask < corners; mask++) {
    const pick = (bit: number) => scales[(mask >> bit) & 1] as number;
    const n: PpNetwork = {
      vPullUp: net.vPullUp,
      rPullUp: net.rPullUp * pick(0),
      rPullDown: net.rPullDown * pick(1),
    };
    const rc =
      parts.length === 0 ? Number.POSITIVE_INFINITY : parts.reduce((sum, r, i) => sum + r * pick(2 + i), 0);
    const v = dividerVoltage(n, rc);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Thresholds used by {@link classifyPp} (all unconfirmed: our proposal plus our fault limits). */
export interface PpThresholds {
  faultBelow: number;
  latchedMax: number;
  unlatchedMax: number;
  faultAbove: number;
}

/** Default thresholds: fault < 1 V, latched < 2.1 V, unlatched < 3.6 V, unplugged ≤ 4.75 V, fault above. */
export const PP_THRESHOLDS: PpThresholds = Object.freeze({
  faultBelow: PP_THRESHOLD_FAULT_BELOW_V,
  latchedMax: PP_THRESHOLD_LATCHED_MAX_V,
  unlatchedMax: PP_THRESHOLD_UNLATCHED_MAX_V,
  faultAbove: PP_THRESHOLD_FAULT_ABOVE_V,
});

/**
 * Classify a measured PP voltage: [faultBelow, latchedMax) latched, [latchedMax,
 * unlatchedMax) unlatched, [unlatchedMax, faultAbove] unplugged, anything else (or NaN) fault.
 * "unlatched" means the EV must stop drawing current (OpenEV "Basics of SAE J1772").
 */
export function classifyPp(volts: number, t: PpThresholds = PP_THRESHOLDS): PpState {
  if (!Number.isFinite(volts) || volts < t.faultBelow || volts > t.faultAbove) return "fault";
  if (volts < t.latchedMax) return "latched";
  if (volts < t.unlatchedMax) return "unlatched";
  return "unplugged";
}
