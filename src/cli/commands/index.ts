/** Registers every `nacs` sub-command. Add one line per command file. */
import type { Command } from "commander";
import { registerDashboardCommand } from "../dashboard/command.js";
import { registerBoardSimCommand } from "./board-sim.js";
import { registerConformanceCommand } from "./conformance.js";
import { registerConnectorsCommand } from "./connectors.js";
import { registerCsmsCommand } from "./csms.js";
import { registerDecodeCommand } from "./decode.js";
import { registerEncodeCommand } from "./encode.js";
import { registerEvCommand } from "./ev.js";
import { registerEvseCommand } from "./evse.js";
import { registerFleetCommand } from "./fleet.js";
import { registerPkiCommand } from "./pki.js";
import { registerSimulateCommand } from "./simulate.js";

export function registerCommands(_program: Command): void {
  // commands are added here as they land: connectors, simulate, decode, encode, evse, ev
  registerConnectorsCommand(_program);
  registerSimulateCommand(_program);
  registerDecodeCommand(_program);
  registerEncodeCommand(_program);
  registerEvseCommand(_program);
  registerEvCommand(_program);
  registerBoardSimCommand(_program);
  registerPkiCommand(_program);
  registerDashboardCommand(_program);
  registerConformanceCommand(_program);
  registerCsmsCommand(_program);
  registerFleetCommand(_program);
}
