/**
 * Test helper: does a function build its objects with one hidden class (V8 "map"), call after call?
 *
 * V8 gives objects of the same shape one shared hidden class. Node 20's V8 does not, for an object literal
 * that starts with a spread and then adds a key the spread source lacks (`{ ...status, extra: 1 }`): once
 * the site's inline cache has warmed up, every evaluation makes a new hidden class and descriptor array for
 * each added key. Hidden classes live in the old generation, so a charge loop that builds such an object per
 * message fills the old generation at the message rate and brings frequent full (mark-compact) collections;
 * `delete` turns an object into a dictionary, with the same kind of cost. Measured with `node --log-maps`
 * on `nacs simulate` and a live fleet: the EV's CurrentDemandRes view alone made eight per response.
 *
 * The checks use V8 intrinsics (`%HaveSameMap`, `%HasFastProperties`), enabled for this process on import.
 */
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--allow-natives-syntax");
const haveSameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: object, b: object) => boolean;
const hasFastProperties = new Function("o", "return %HasFastProperties(o)") as (o: object) => boolean;

/** Calls before the site's inline cache is warm (V8 makes the first few objects alike in any case). */
const WARM_UP_CALLS = 40;

/**
 * Call `make(i)` for i = 0…`calls`-1 and check that every object it returns after the warm-up has the hidden
 * class of the one before it and fast (non-dictionary) properties. Returns the first failing call index with
 * the reason, or null. `make` must build objects of one shape (the same keys in the same order).
 */
export function hiddenClassChurn(make: (i: number) => object, calls = 2 * WARM_UP_CALLS): string | null {
  let prev = make(0);
  for (let i = 1; i < calls; i++) {
    const next = make(i);
    if (i > WARM_UP_CALLS) {
      if (!hasFastProperties(next)) return `call ${i}: dictionary-mode object`;
      if (!haveSameMap(prev, next)) return `call ${i}: a new hidden class`;
    }
    prev = next;
  }
  return null;
}
