/**
 * Decode a capture in a Web Worker (index.html build), falling back to the page's thread when a worker
 * cannot start. The offline build aliases this module to `runner-inline.ts` (one file, no worker file).
 */
import type { CaptureResult } from "./decode.js";
import { runDecodeInline } from "./runner-inline.js";

export function runDecode(
  bytes: Uint8Array,
  keyLogText: string | undefined,
  onProgress: (done: number, total: number) => void,
): Promise<CaptureResult & { where: string }> {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  } catch {
    return runDecodeInline(bytes, keyLogText, onProgress);
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = (m) => {
      const d = m.data as
        | { kind: "progress"; done: number; total: number }
        | { kind: "done"; result: CaptureResult }
        | { kind: "failed"; error: string };
      if (d.kind === "progress") onProgress(d.done, d.total);
      else {
        worker.terminate();
        if (d.kind === "done") resolve({ ...d.result, where: "worker" });
        else reject(new Error(d.error));
      }
    };
    worker.onerror = () => {
      worker.terminate();
      runDecodeInline(bytes, keyLogText, onProgress).then(resolve, reject);
    };
    worker.postMessage({ bytes, keyLogText });
  });
}
