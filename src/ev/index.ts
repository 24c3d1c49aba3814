/** EV controllers and vehicle models: the EV controller (DC and ISO-2 AC), basic AC controller, on-board charger, traction battery (dc/battery.ts). */
export * from "./basic-ac.js";
export * from "./dc/index.js";
export * from "./obc.js";
export * from "./profiles.js";
