import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  embeddedRecordText,
  escapeRecordForScript,
  fillOfflineHtml,
  OfflinePlaceholderError,
  RECORD_PLACEHOLDER,
} from "./offline-record.js";
import { parseRecordText } from "./record-parse.js";

const PAGE = `<html><body><div id="app"></div>${RECORD_PLACEHOLDER}<script type="module">x()</script></body></html>`;
const NDJSON = [
  '{"t":0,"type":"start","config":{"protocol":"din"}}',
  '{"t":1,"type":"log","side":"ev","level":"info","msg":"</script><script>alert(1)</script>"}',
  "",
].join("\n");

/** The text of the nacs-record element as an HTML parser sees it: up to the first `</script`. */
function scriptText(html: string): string {
  const open = html.indexOf('<script id="nacs-record"');
  const start = html.indexOf(">", open) + 1;
  return html.slice(start, html.toLowerCase().indexOf("</script", start));
}

test("offline record: filling escapes </ so the record cannot close its script element", () => {
  const html = fillOfflineHtml(PAGE, NDJSON);
  assert.ok(!scriptText(html).includes("</"));
  assert.equal(escapeRecordForScript("a</b</c"), "a<\\/b<\\/c");
  // what the app reads back (the element's text) is the record, event for event
  const text = scriptText(html);
  assert.deepEqual(
    parseRecordText(embeddedRecordText({ getElementById: () => ({ textContent: text }) })!),
    parseRecordText(NDJSON),
  );
  assert.ok(html.endsWith('<script type="module">x()</script></body></html>'));
});

test("offline record: an empty placeholder means no embedded record; a page without exactly one is refused", () => {
  assert.equal(embeddedRecordText({ getElementById: () => ({ textContent: "" }) }), undefined);
  assert.equal(embeddedRecordText({ getElementById: () => null }), undefined);
  assert.throws(
    () => fillOfflineHtml("<html></html>", NDJSON),
    (e: unknown) => e instanceof OfflinePlaceholderError && e.code === "placeholder-missing",
  );
  assert.throws(
    () => fillOfflineHtml(PAGE + RECORD_PLACEHOLDER, NDJSON),
    (e: unknown) => e instanceof OfflinePlaceholderError && e.code === "placeholder-repeated",
  );
});

const BUILT = fileURLToPath(new URL("../../../dist/dashboard/offline.html", import.meta.url));
test(
  "offline record: the built offline.html has exactly one empty placeholder and loads nothing",
  { skip: existsSync(BUILT) ? false : "dist/dashboard/offline.html not built (npm run build:dashboard)" },
  () => {
    const html = readFileSync(BUILT, "utf8");
    assert.equal(html.split(RECORD_PLACEHOLDER).length - 1, 1);
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/);
    const filled = fillOfflineHtml(html, NDJSON);
    assert.equal(filled.length, html.length + escapeRecordForScript(NDJSON).length);
  },
);
