/** Clocks (real and virtual) and the one machine driver every host runs its controllers through. */
export { type Clock, clockFrom, realClock, type TimerHandle } from "./clock.js";
export {
  createMachineDriver,
  type MachineDriver,
  type MachineDriverOptions,
  type StepFunction,
  type TimedEvent,
  type TimerEffect,
} from "./driver.js";
export { createVirtualClock, type VirtualClock } from "./virtual-clock.js";
