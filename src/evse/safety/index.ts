/** DC safety supervisor: IEC 61851-23 limits (as EVerest EvseManager codes them) and the J3400 10 ms off rule, as pure code. */
export * from "./limits.js";
export * from "./supervisor.js";
