/**
 * Test harness of the OCPP 2.0.1 station machine: a station driven by events whose every CALL `csms`
 * answers at once (as a CSMS on loopback would; null leaves the call in flight), with what it sent and
 * every effect kept for the assertions.
 */
import { createStation, type StationState, stepStation } from "../station.js";
import type { OcppCall, StationConfig, StationEffect, StationEvent } from "../types.js";
import { TEST_T0, testStationConfig } from "./station-config.js";

export class StationHarness {
  s: StationState;
  sent: OcppCall[] = [];
  fx: StationEffect[] = [];
  constructor(
    private readonly csms: (c: OcppCall) => Record<string, unknown> | null,
    config: StationConfig = testStationConfig(),
  ) {
    this.s = createStation(config, TEST_T0);
  }
  /** One event, then the CSMS's answers to what it sent; returns the event's own effects. */
  step(ev: StationEvent): StationEffect[] {
    const [s, fx] = stepStation(this.s, ev);
    this.s = s;
    this.fx.push(...fx);
    for (const f of fx) {
      if (f.kind !== "send") continue;
      this.sent.push(f.call);
      const r = this.csms(f.call);
      if (r) this.step({ kind: "result", id: f.call.id, payload: r, tMs: ev.tMs });
    }
    return fx;
  }
  /** Connect (the BootNotification follows). */
  boot(t = TEST_T0): void {
    this.step({ kind: "connected", tMs: t });
  }
  actions(): string[] {
    return this.sent.map((c) => c.action);
  }
  sentOf(action: string): OcppCall[] {
    return this.sent.filter((c) => c.action === action);
  }
  txEvents(): Record<string, unknown>[] {
    return this.sentOf("TransactionEvent").map((c) => c.payload);
  }
  evse(): unknown[] {
    return this.fx.flatMap((f) => (f.kind === "evse" ? [f.command] : []));
  }
  certCommands(): unknown[] {
    return this.fx.flatMap((f) => (f.kind === "certificate" ? [f.command] : []));
  }
  replies(): Record<string, unknown>[] {
    return this.fx.flatMap((f) => (f.kind === "reply" ? [f.payload] : []));
  }
}
