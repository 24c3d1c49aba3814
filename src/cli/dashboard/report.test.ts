import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseNdjson, type RecordEvent } from "../../link/host/record.js";
import { fillOfflineReport, RECORD_ELEMENT, ReportError } from "./report.js";

const page = `<!doctype html><html><head><script>app()</script></head><body>${RECORD_ELEMENT}</body></html>`;

/** The text of the record element, as an HTML parser ends it: at the first `</script`. */
function recordText(html: string): string {
  const open = '<script id="nacs-record" type="application/x-ndjson">';
  const from = html.indexOf(open) + open.length;
  return html.slice(from, html.indexOf("</script", from));
}

test("report: the record goes into the one record element; the rest of the page is unchanged", () => {
  const events: RecordEvent[] = [
    { t: 0, type: "start", config: {} },
    { t: 1, type: "log", side: "sim", level: "info", msg: "a </script> and <!-- in a message" },
  ];
  const html = fillOfflineReport(page, events);
  assert.ok(html.startsWith("<!doctype html><html><head><script>app()</script></head><body>"));
  assert.ok(html.endsWith("</script></body></html>"));
  assert.doesNotMatch(recordText(html), /<\/|<!--/);
  assert.deepEqual(parseNdjson(recordText(html)), events);
});

test("report (property): any strings in events survive, and never end or comment the element early", () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: "grapheme-ascii" }), { maxLength: 8 }), (msgs) => {
      const events = msgs.map((msg, k): RecordEvent => ({ t: k, type: "log", msg }));
      const text = recordText(fillOfflineReport(page, events));
      assert.doesNotMatch(text, /<!--/);
      assert.deepEqual(parseNdjson(text), events);
    }),
  );
});

test("report: a page without (or with two) record elements is a ReportError with its code", () => {
  assert.throws(
    () => fillOfflineReport("<html></html>", []),
    (e: unknown) => e instanceof ReportError && e.code === "no-record-element",
  );
  assert.throws(
    () => fillOfflineReport(page + RECORD_ELEMENT, []),
    (e: unknown) => e instanceof ReportError && e.code === "several-record-elements",
  );
});
