/** Fleets of simulated DC sessions in virtual time (`nacs simulate --fleet N`): plan, run, aggregate. Pure. */
export * from "./aggregate.js";
export * from "./load-plot.js";
export * from "./plan.js";
export * from "./run.js";
