/** Decode a capture on the page's thread, yielding between chunks (offline build, worker fallback). */
import { type CaptureResult, decodeCaptureBytes } from "./decode.js";

export async function runDecodeInline(
  bytes: Uint8Array,
  keyLogText: string | undefined,
  onProgress: (done: number, total: number) => void,
): Promise<CaptureResult & { where: string }> {
  const r = await decodeCaptureBytes(bytes, { ...(keyLogText ? { keyLogText } : {}), onProgress });
  return { ...r, where: "page" };
}

export { runDecodeInline as runDecode };
