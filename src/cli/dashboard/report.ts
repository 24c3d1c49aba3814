/**
 * One-file reports: the app's `offline.html` (all JS/CSS inlined) with the session record put into its
 * `<script id="nacs-record" type="application/x-ndjson">` element, which the app shows on load. The record
 * is NDJSON; inside a script element `</` would end it and `<!--` would change how it is parsed (HTML Living
 * Standard §13.2.5.4 script data states), so they are written `<\/` and `\u003c!--` — both are JSON escapes
 * inside strings, the only place `<` can be in JSON, so every line still parses to the same event.
 */
import { ndjsonLine, type RecordEvent } from "../../link/host/record.js";

/** The empty record element of `offline.html`, exactly as the app's build writes it. */
export const RECORD_ELEMENT = '<script id="nacs-record" type="application/x-ndjson"></script>';

/** A report could not be made (code names the rule). */
export class ReportError extends Error {
  override name = "ReportError";
  constructor(
    message: string,
    readonly code: "no-record-element" | "several-record-elements",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** NDJSON safe inside a script element. */
export function scriptSafeNdjson(events: readonly RecordEvent[]): string {
  return events.map(ndjsonLine).join("").replace(/<\//g, "<\\/").replace(/<!--/g, "\\u003c!--");
}

/** `offlineHtml` with the record in its one empty record element. Throws ReportError otherwise. */
export function fillOfflineReport(offlineHtml: string, events: readonly RecordEvent[]): string {
  const at = offlineHtml.indexOf(RECORD_ELEMENT);
  if (at < 0)
    throw new ReportError(
      `offline.html: no empty ${RECORD_ELEMENT} element (is it the app's build?)`,
      "no-record-element",
    );
  if (offlineHtml.indexOf(RECORD_ELEMENT, at + 1) >= 0)
    throw new ReportError("offline.html: more than one record element", "several-record-elements");
  const open = RECORD_ELEMENT.slice(0, RECORD_ELEMENT.indexOf("></script>") + 1);
  return `${offlineHtml.slice(0, at)}${open}\n${scriptSafeNdjson(events)}</script>${offlineHtml.slice(at + RECORD_ELEMENT.length)}`;
}
