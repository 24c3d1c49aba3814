/**
 * Physical models on the host: the SECC side runs the DC plant (power stage, contactors,
 * meter) and the isolation monitor of `src/v2g/ports/models`, or an AC supply meter; the EV side runs the
 * battery model. Both advance with real time multiplied by `timeScale` ("model time runs N× faster"), so a
 * CLI or test session can charge a few percent in seconds. The session machines keep real time.
 *
 * Each side sees only its own hardware, as over a real cable:
 * - SECC: the current into the car is modelled with a stand-in battery at the SOC the EV reports, joined
 *   to the output while the EV's contactors are closed — which the SECC infers from the protocol (the EV
 *   closes them after PreCharge, before PowerDeliveryReq(Start), and opens them after PowerDeliveryRes(Stop)).
 * - EV: the battery charges with the current the EVSE reports (EVSEPresentCurrent) while its contactors are
 *   closed (DC), or with what the on-board charger draws from the EVSE's nominal voltage (AC).
 */
import {
  advanceBattery,
  advanceDcPlant,
  advanceIsolationMonitor,
  applySeccCommand,
  type BatteryModel,
  type BatteryParams,
  createBattery,
  createDcPlant,
  createIsolationMonitor,
  type DcPlant,
  DEFAULT_BATTERY,
  type EvccPortCommand,
  type EvccReadings,
  type IsolationMonitorModel,
  ocv,
  type SeccPortCommand,
  type SeccReadings,
  startIsolationTest,
  stopIsolationTest,
  targetCurrent,
  terminalVoltage,
} from "../../v2g/index.js";

/** Longest model-time step of one integration step (ms); longer advances are split. Model choice. */
export const HOST_MODEL_STEP_MS = 100;
/** At most this many integration steps per advance (a very long gap is integrated coarsely). Model choice. */
const MAX_SUBSTEPS = 200;

/** SECC-side model options. */
export interface SeccPlantOptions {
  ac: boolean;
  /** Model ms per real ms (default 1). */
  timeScale?: number;
  isolationResistanceOhm?: number;
  isolationTestMs?: number;
}

/** SECC-side physical models, advanced with real time × timeScale. */
export class SeccPlant {
  private plant: DcPlant = createDcPlant(createBattery(50));
  private imd: IsolationMonitorModel;
  private readonly scale: number;
  private lastRealMs: number;
  private modelMs = 0;
  private acContactors = false;
  private acCurrentA = 0;
  private acEnergyWh = 0;

  constructor(
    private readonly o: SeccPlantOptions,
    nowMs: number,
  ) {
    this.scale = o.timeScale ?? 1;
    this.lastRealMs = nowMs;
    this.imd = createIsolationMonitor(o.isolationResistanceOhm, o.isolationTestMs);
  }

  /** Apply a port command of the SECC machine. */
  command(c: SeccPortCommand, nowMs: number): void {
    this.advance(nowMs);
    if (c.port === "isolation")
      this.imd =
        c.op === "start"
          ? startIsolationTest(this.imd, c.voltageV, this.modelMs)
          : stopIsolationTest(this.imd);
    else if (this.o.ac && c.port === "contactors") this.acContactors = c.op === "close";
    else this.plant = applySeccCommand(this.plant, c);
  }

  /**
   * The EV's contactors as inferred from the protocol. On closing, the stand-in battery takes the SOC the EV
   * reported; AC: `drawA` is what the car's on-board charger is expected to take (its EVMaxCurrent).
   */
  evConnected(closed: boolean, evSocPercent: number, nowMs: number, drawA = 0): void {
    this.advance(nowMs);
    if (this.o.ac) {
      this.acCurrentA = closed ? drawA : 0;
      return;
    }
    if (closed === this.plant.evContactorsClosed) return;
    const battery = closed ? createBattery(evSocPercent, DEFAULT_BATTERY) : this.plant.battery;
    this.plant = { ...this.plant, battery, evContactorsClosed: closed };
  }

  /** Integrate the models up to real time `nowMs`. */
  advance(nowMs: number): void {
    const dtModel = Math.max(0, nowMs - this.lastRealMs) * this.scale;
    this.lastRealMs = Math.max(this.lastRealMs, nowMs);
    if (dtModel <= 0) return;
    const n = Math.min(MAX_SUBSTEPS, Math.ceil(dtModel / HOST_MODEL_STEP_MS));
    const step = dtModel / n;
    for (let k = 0; k < n; k++) {
      this.modelMs += step;
      if (this.o.ac) {
        const ac = this.acFlowing();
        if (ac) this.acEnergyWh += (ac.powerW * step) / 3_600_000;
      } else this.plant = advanceDcPlant(this.plant, step);
    }
    this.imd = advanceIsolationMonitor(this.imd, this.modelMs);
  }

  private acFlowing(): { powerW: number } | undefined {
    if (!this.acContactors || this.acCurrentA <= 0) return undefined;
    return { powerW: this.nominalV * this.acCurrentA * this.phases };
  }

  /** AC nominal voltage used by the meter (the host sets it from the SECC's readings). */
  nominalV = 240;
  /** AC phases the meter counts (the host sets it from the EV's energy transfer mode). */
  phases = 1;

  /** Readings for the SECC machine's `port` event. */
  readings(): Partial<SeccReadings> {
    if (this.o.ac)
      return {
        presentVoltageV: this.acContactors ? this.nominalV : 0,
        presentCurrentA: this.acContactors ? this.acCurrentA : 0,
        energyWh: this.acEnergyWh,
        contactorsClosed: this.acContactors,
        isolation: this.imd.reading,
      };
    return {
      presentVoltageV: this.plant.outV,
      presentCurrentA: this.plant.outI,
      isolation: this.imd.reading,
      energyWh: this.plant.energyWh,
      contactorsClosed: this.plant.evseContactorsClosed,
    };
  }

  /** Energy through the meter so far (Wh). */
  get energyWh(): number {
    return this.o.ac ? this.acEnergyWh : this.plant.energyWh;
  }
}

/** EV-side model options. */
export interface EvPlantOptions {
  ac: boolean;
  phases?: number;
  timeScale?: number;
  socPercent: number;
  battery?: Partial<BatteryParams>;
}

/** What the EV knows of the EVSE output (from the last responses). */
export interface EvseOutput {
  presentVoltageV: number;
  presentCurrentA: number;
  acNominalVoltageV: number;
  acMaxCurrentA: number;
}

/** EV-side battery model, advanced with real time × timeScale. */
export class EvPlant {
  battery: BatteryModel;
  private readonly scale: number;
  private lastRealMs: number;
  private contactors = false;
  private s2 = false;
  private chargerA = 0;
  private evse: EvseOutput = {
    presentVoltageV: 0,
    presentCurrentA: 0,
    acNominalVoltageV: 0,
    acMaxCurrentA: 0,
  };
  /** Energy into the battery terminals so far (Wh). */
  energyWh = 0;

  constructor(
    private readonly o: EvPlantOptions,
    nowMs: number,
  ) {
    this.battery = createBattery(o.socPercent, { ...DEFAULT_BATTERY, ...o.battery });
    this.scale = o.timeScale ?? 1;
    this.lastRealMs = nowMs;
  }

  /** Apply a port command of the EVCC machine. */
  command(c: EvccPortCommand, nowMs: number): void {
    this.advance(nowMs);
    if (c.port === "contactors") this.contactors = c.op === "close";
    else if (c.port === "s2") this.s2 = c.op === "close";
    else this.chargerA = c.currentA;
  }

  /**
   * What the EVSE reported in the responses so far; it holds since the model was last advanced (the host
   * calls this before advancing to the next event).
   */
  seeEvse(e: EvseOutput): void {
    this.evse = e;
  }

  private currentA(): number {
    if (this.o.ac) {
      if (!this.s2 || this.chargerA <= 0 || this.evse.acNominalVoltageV <= 0) return 0;
      const a = Math.min(this.chargerA, this.evse.acMaxCurrentA || this.chargerA);
      return (this.evse.acNominalVoltageV * a * (this.o.phases ?? 1)) / ocv(this.battery);
    }
    return this.contactors ? Math.max(0, this.evse.presentCurrentA) : 0;
  }

  /** Integrate up to real time `nowMs`. */
  advance(nowMs: number): void {
    const dtModel = Math.max(0, nowMs - this.lastRealMs) * this.scale;
    this.lastRealMs = Math.max(this.lastRealMs, nowMs);
    if (dtModel <= 0) return;
    const i = this.currentA();
    const n = Math.min(MAX_SUBSTEPS, Math.ceil(dtModel / HOST_MODEL_STEP_MS));
    const step = dtModel / n;
    for (let k = 0; k < n; k++) {
      this.battery = advanceBattery(this.battery, i, step);
      this.energyWh += (terminalVoltage(this.battery) * i * step) / 3_600_000;
    }
  }

  /** Readings for the EVCC machine's `port` event. */
  readings(): Partial<EvccReadings> {
    const b = this.battery;
    const vb = this.o.ac ? ocv(b) : terminalVoltage(b);
    return {
      socPercent: b.socPercent,
      batteryVoltageV: vb,
      inletVoltageV: this.contactors ? vb : this.evse.presentVoltageV,
      targetCurrentA: targetCurrent(b),
      contactorsClosed: this.contactors,
    };
  }
}
