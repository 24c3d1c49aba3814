/** DC safety supervisor: limits of digest §5.6 and the J3400 10 ms off rule, as pure code. */
export * from "./limits.js";
export * from "./supervisor.js";
