/**
 * Start a worker thread on a module next to the caller: the built `.js`, or under tsx (development, tests)
 * the `.ts` source with tsx's loader registered inside the thread first. Node-only.
 */
import { Worker } from "node:worker_threads";

/** Start `base` (a module URL without extension, relative to `from`) as a worker thread with `workerData`. */
export function startModuleWorker(from: string, base: string, workerData: unknown): Worker {
  const url = new URL(`${base}${from.endsWith(".ts") ? ".ts" : ".js"}`, from);
  if (!url.pathname.endsWith(".ts")) return new Worker(url, { workerData });
  const api = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
