/**
 * Worker thread of `nacs simulate --fleet`: receives batches of session indices, plans each (the same pure
 * plan as the main thread), builds it exactly as `nacs simulate` builds a lone session (no record, no
 * pcap, no trace files), runs it and posts back its small result. A session that throws is a failed
 * result naming the error; the worker goes on with the next.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  crashedFleetSession,
  type FleetPlanInput,
  type FleetSessionResult,
  type FleetSessionSpec,
  planFleetSession,
  runFleetSession,
} from "../../sim/fleet/index.js";
import { fleetSessionSimulateOptions } from "./fleet-session.js";
import { dcSessionFor } from "./simulate-session.js";

/** What the main thread gives every worker. */
export interface FleetWorkerData {
  plan: FleetPlanInput;
  binS: number;
  /** Test hook: the worker dies (uncaught error) when it reaches this session index. */
  crashAtIndex?: number;
}

/** Main → worker. */
export type FleetWorkerRequest = { kind: "run"; indices: number[] } | { kind: "stop" };
/** Worker → main. */
export type FleetWorkerReply = { kind: "result"; result: FleetSessionResult } | { kind: "idle" };

/** Run one planned session as the fleet does (also used in-process by tests). */
export function runPlannedSession(spec: FleetSessionSpec, binS: number): FleetSessionResult {
  try {
    // nothing recorded: no record events, no timeline (the same events run: the same figures)
    const session = dcSessionFor(fleetSessionSimulateOptions(spec), undefined, { timeline: false });
    return runFleetSession(session, spec, binS);
  } catch (err) {
    return crashedFleetSession(spec, `session threw: ${(err as Error).message}`, binS);
  }
}

if (parentPort && (workerData as { fleetWorker?: boolean } | null)?.fleetWorker) {
  const port = parentPort;
  const data = workerData as FleetWorkerData;
  port.on("message", (m: FleetWorkerRequest) => {
    if (m.kind === "stop") {
      port.close();
      return;
    }
    for (const i of m.indices) {
      if (i === data.crashAtIndex) throw new Error(`injected worker crash at session ${i}`);
      const reply: FleetWorkerReply = {
        kind: "result",
        result: runPlannedSession(planFleetSession(data.plan, i), data.binS),
      };
      port.postMessage(reply);
    }
    port.postMessage({ kind: "idle" } satisfies FleetWorkerReply);
  });
}
