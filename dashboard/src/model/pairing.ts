/**
 * Request → response pairing of V2G messages: each `…Res` answers the latest unanswered `…Req` of the same
 * message (DIN 70121 §8.8.1 / ISO 15118-2 [V2G2-538]: one request outstanding at a time, so a response
 * always answers the most recent request of its name). ISO 15118-20 names pair the same way.
 */

/** Base name of a message (`CurrentDemandReq` → `CurrentDemand`) and whether it is a request. */
export function messageKind(name: string): { base: string; kind: "req" | "res" | "other" } {
  if (name.endsWith("Req")) return { base: name.slice(0, -3), kind: "req" };
  if (name.endsWith("Res")) return { base: name.slice(0, -3), kind: "res" };
  return { base: name, kind: "other" };
}

/** Incremental pairer: feed messages in order; a response returns the index of its request. */
export interface Pairer {
  /** Index (as given) of the request this message answers, or undefined. */
  push(index: number, name: string): number | undefined;
}

export function createPairer(): Pairer {
  const open = new Map<string, number>();
  return {
    push(index, name) {
      const { base, kind } = messageKind(name);
      if (kind === "req") {
        open.set(base, index);
        return undefined;
      }
      if (kind !== "res") return undefined;
      const req = open.get(base);
      if (req === undefined) return undefined;
      open.delete(base);
      return req;
    },
  };
}

/** Pair a whole list: for each message, the index of its request (responses only). */
export function pairMessages(msgs: readonly { name: string }[]): (number | undefined)[] {
  const p = createPairer();
  return msgs.map((m, i) => p.push(i, m.name));
}
