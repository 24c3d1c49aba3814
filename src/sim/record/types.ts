/** The session record format is the hosts' (src/link/host/record.ts): the simulator writes the same lines. */
export * from "../../link/host/record.js";
