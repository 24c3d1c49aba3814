/** Web Worker: decodes a capture off the page's thread (index.html build). */
import { decodeCaptureBytes } from "./decode.js";

export type WorkerRequest = { bytes: Uint8Array; keyLogText?: string };

self.onmessage = async (m: MessageEvent<WorkerRequest>) => {
  try {
    const result = await decodeCaptureBytes(m.data.bytes, {
      ...(m.data.keyLogText ? { keyLogText: m.data.keyLogText } : {}),
      onProgress: (done, total) => self.postMessage({ kind: "progress", done, total }),
      yieldFn: async () => {},
    });
    self.postMessage({ kind: "done", result });
  } catch (e) {
    self.postMessage({ kind: "failed", error: (e as Error).message });
  }
};
