/**
 * Test harness of the OCPP 1.6J charge-point machine: a charge point driven by events whose every CALL a
 * scripted CSMS answers at once, each CALL and answer checked against the official OCPP 1.6 JSON schemas
 * (ocpp-rpc's validators).
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type { OcppCall, StationEffect, StationEvent } from "../../types.js";
import { createStation16, type StationState16, stepStation16 } from "../station.js";
import type { StationConfig16 } from "../types.js";

export const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);
export const cfg: StationConfig16 = {
  chargingStation: { vendorName: "nacs", model: "sim", serialNumber: "SIM-1" },
  evseId: 1,
  connectorId: 1,
  txUpdatedIntervalS: 60,
  heartbeatIntervalS: 300,
  bootRetryS: 30,
  transactionPrefix: "CP1",
  nominalVoltageV: 500,
};

const validator = (
  createRequire(import.meta.url)("ocpp-rpc/lib/standard-validators.js") as {
    subprotocol: string;
    validate(id: string, p: unknown): boolean;
  }[]
).find((v) => v.subprotocol === "ocpp1.6")!;

/** Throws (naming the schema) when `payload` is not a valid OCPP 1.6 `action` request / response. */
export function valid(action: string, kind: "req" | "conf", payload: unknown): void {
  try {
    validator.validate(`urn:${action}.${kind}`, payload);
  } catch (err) {
    throw new Error(`${action}.${kind} ${JSON.stringify(payload)}: ${(err as Error).message}`);
  }
}

/** A charge point driven by events; every CALL answered right away by `csms` (and both schema-checked). */
export class Harness {
  s: StationState16 = createStation16(cfg, T0);
  sent: OcppCall[] = [];
  fx: StationEffect[] = [];
  txId = 41;
  constructor(private readonly csms: (c: OcppCall, h: Harness) => Record<string, unknown> | null = answer) {}
  step(ev: StationEvent): void {
    const [s, fx] = stepStation16(this.s, ev);
    this.s = s;
    this.fx.push(...fx);
    for (const f of fx) {
      if (f.kind === "reply" && ev.kind === "request") valid(ev.action, "conf", f.payload);
      if (f.kind !== "send") continue;
      valid(f.call.action, "req", f.call.payload);
      this.sent.push(f.call);
      const r = this.csms(f.call, this);
      if (r) {
        valid(f.call.action, "conf", r);
        this.step({ kind: "result", id: f.call.id, payload: r, tMs: ev.tMs });
      }
    }
  }
  request(action: string, payload: Record<string, unknown>, tMs = this.s.nowMs): Record<string, unknown> {
    valid(action, "req", payload);
    const n = this.fx.length;
    this.step({ kind: "request", reqId: `r${n}`, action, payload, tMs });
    const r = this.fx.slice(n).find((f) => f.kind === "reply");
    assert.ok(r && r.kind === "reply", `${action} answered`);
    return r.payload;
  }
  calls(action: string): Record<string, unknown>[] {
    return this.sent.filter((c) => c.action === action).map((c) => c.payload);
  }
  statuses(): string[] {
    return this.calls("StatusNotification").map((p) => String(p.status));
  }
  evse(): unknown[] {
    return this.fx.filter((f) => f.kind === "evse").map((f) => (f as { command: unknown }).command);
  }
}

export function answer(c: OcppCall, h: Harness): Record<string, unknown> {
  const now = new Date(T0).toISOString();
  switch (c.action) {
    case "BootNotification":
      return { status: "Accepted", interval: 120, currentTime: now };
    case "Heartbeat":
      return { currentTime: now };
    case "Authorize":
      return { idTagInfo: { status: "Accepted" } };
    case "StartTransaction":
      return { transactionId: ++h.txId, idTagInfo: { status: "Accepted" } };
    default:
      return {};
  }
}

/** Booted, plugged, authorised: a transaction running (id 42) at 1000 Wh. */
export function running(h = new Harness()): Harness {
  h.step({ kind: "connected", tMs: T0 });
  h.step({ kind: "meter", reading: { energyWh: 1000.4, powerW: 0 }, tMs: T0 });
  h.step({ kind: "plugged", tMs: T0 + 1000 });
  h.step({ kind: "id-token", idToken: { idToken: "TAG-1", type: "ISO14443" }, tMs: T0 + 1000 });
  return h;
}
