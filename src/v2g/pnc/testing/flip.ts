/**
 * Test helpers for signed V2G messages: alter one signed element in place (a flipped bit), found by its Id.
 */

/** Flip the lowest bit of the last byte of the first byte string (or the last char of a string) in `v`. */
export function flipOneBit(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  for (const [k, x] of Object.entries(o)) {
    if (k === "Id") continue;
    if (x instanceof Uint8Array && x.length > 0) {
      x[x.length - 1]! ^= 1;
      return true;
    }
    if (typeof x === "string" && x.length > 0 && k !== "CONTENT") {
      o[k] = x.slice(0, -1) + String.fromCharCode(x.charCodeAt(x.length - 1) ^ 1);
      return true;
    }
    if (typeof x === "string" && k === "CONTENT" && /^[A-Z0-9]+$/.test(x)) {
      o[k] = x.slice(0, -1) + (x.endsWith("A") ? "B" : "A");
      return true;
    }
    if (flipOneBit(Array.isArray(x) ? x[0] : x)) return true;
  }
  return false;
}

/** The element of `v` whose `Id` is `id` (depth first), or undefined. */
export function findById(v: unknown, id: string): unknown {
  if (typeof v !== "object" || v === null || v instanceof Uint8Array) return undefined;
  if ((v as { Id?: unknown }).Id === id) return v;
  for (const x of Object.values(v)) {
    const f = Array.isArray(x) ? x.map((y) => findById(y, id)).find(Boolean) : findById(x, id);
    if (f) return f;
  }
  return undefined;
}
