/**
 * The offline report: `offline.html` carries exactly one `<script id="nacs-record"
 * type="application/x-ndjson"></script>` element; the host puts the NDJSON record in it with every `</`
 * written `<\/` (so no line can close the script element, HTML 5.2 §4.12.1.3 "restrictions for contents of
 * script elements"), and the app reads it back on load.
 */

/** The placeholder element of `offline.html`. */
export const RECORD_PLACEHOLDER = '<script id="nacs-record" type="application/x-ndjson"></script>';

/** Escape NDJSON for a script element: `</` → `<\/` (JSON reads `\/` as `/`). */
export function escapeRecordForScript(ndjson: string): string {
  return ndjson.replaceAll("</", "<\\/");
}

/** Error of {@link fillOfflineHtml}: the page does not have exactly one placeholder. */
export class OfflinePlaceholderError extends Error {
  override readonly name = "OfflinePlaceholderError";
  constructor(
    readonly code: "placeholder-missing" | "placeholder-repeated",
    message: string,
  ) {
    super(message);
  }
}

/** Fill the placeholder of `offline.html` with a record. */
export function fillOfflineHtml(html: string, ndjson: string): string {
  const at = html.indexOf(RECORD_PLACEHOLDER);
  if (at < 0)
    throw new OfflinePlaceholderError("placeholder-missing", "offline.html: no nacs-record placeholder");
  if (html.indexOf(RECORD_PLACEHOLDER, at + 1) >= 0)
    throw new OfflinePlaceholderError("placeholder-repeated", "offline.html: more than one placeholder");
  const open = RECORD_PLACEHOLDER.slice(0, -"</script>".length);
  return (
    html.slice(0, at) +
    open +
    escapeRecordForScript(ndjson) +
    "</script>" +
    html.slice(at + RECORD_PLACEHOLDER.length)
  );
}

/**
 * The record text embedded in the page, or undefined when the placeholder is empty. The element's text is
 * the escaped NDJSON; `<\/` inside a JSON string is `</` again once parsed, and `<\/` cannot occur outside
 * strings in NDJSON, so it is read as is.
 */
export function embeddedRecordText(doc: {
  getElementById(id: string): { textContent: string | null } | null;
}): string | undefined {
  const text = doc.getElementById("nacs-record")?.textContent ?? "";
  return text.trim() ? text : undefined;
}
