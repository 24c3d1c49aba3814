import assert from "node:assert/strict";
import { test } from "node:test";
import { hiddenClassChurn } from "./hidden-class.js";

test("hiddenClassChurn: a literal that starts with a spread and adds a key makes a new hidden class per call", () => {
  const make = (i: number) => ({ ...{ a: i, b: null }, extra: i });
  assert.match(hiddenClassChurn(make) ?? "", /new hidden class/);
});

test("hiddenClassChurn: delete makes a dictionary-mode object", () => {
  const make = (i: number) => {
    const o: Record<string, number> = { a: i, b: i };
    delete o.a;
    return o;
  };
  assert.match(hiddenClassChurn(make) ?? "", /dictionary/);
});

test("hiddenClassChurn: overwriting keys the source has, or adding keys after a plain first key, shares one", () => {
  assert.equal(
    hiddenClassChurn((i) => ({ ...{ a: i, b: null as number | null }, b: i })),
    null,
  );
  assert.equal(
    hiddenClassChurn((i) => ({ first: i, ...{ a: i, b: null }, extra: i })),
    null,
  );
});
