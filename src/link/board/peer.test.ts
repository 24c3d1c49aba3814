import assert from "node:assert/strict";
import { test } from "node:test";
import { createListeners } from "./peer.js";

test("listeners: an emission calls the listeners there were when it started", () => {
  const listeners = createListeners<[number]>();
  const seen: string[] = [];
  let removeB = (): void => {};
  listeners.add((n) => {
    seen.push(`a${n}`);
    if (n === 1) {
      removeB();
      listeners.add((m) => seen.push(`c${m}`));
    }
  });
  removeB = listeners.add((n) => seen.push(`b${n}`));
  listeners.emit(1);
  listeners.emit(2);
  assert.deepEqual(seen, ["a1", "b1", "a2", "c2"]);
});

test("listeners: a removed listener is not called again, and removing it twice is harmless", () => {
  const listeners = createListeners<[number]>();
  const seen: number[] = [];
  const remove = listeners.add((n) => seen.push(n));
  listeners.emit(1);
  remove();
  remove();
  listeners.emit(2);
  assert.deepEqual(seen, [1]);
});
