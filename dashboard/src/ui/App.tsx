/**
 * The dashboard app: the live session when the host has one (`GET /api/info`), the capture viewer and the
 * record viewer. The offline report (offline.html with a filled `nacs-record` element) opens on its record.
 */
import { useEffect, useState } from "preact/hooks";
import type { ApiInfo } from "../live/protocol.js";
import { embeddedRecordText } from "../model/offline-record.js";
import type { SessionModel } from "../model/session-model.js";
import { CaptureView } from "./CaptureView.js";
import { LiveView } from "./LiveView.js";
import { loadRecord, RecordView } from "./RecordView.js";

type Tab = "live" | "capture" | "record";

function embedded(): { model?: SessionModel; error?: string } {
  const text = embeddedRecordText(document);
  if (text === undefined) return {};
  try {
    return { model: loadRecord(text) };
  } catch (e) {
    return { error: `embedded record: ${(e as Error).message}` };
  }
}

export function App() {
  const [initial] = useState(embedded);
  const [info, setInfo] = useState<ApiInfo | undefined>();
  const [tab, setTab] = useState<Tab>(initial.model || initial.error ? "record" : "capture");

  useEffect(() => {
    if (__NACS_OFFLINE__ || location.protocol === "file:") return;
    fetch("api/info")
      .then((r) => (r.ok ? (r.json() as Promise<ApiInfo>) : undefined))
      .then((i) => {
        if (!i) return;
        setInfo(i);
        if (i.live && !initial.model) setTab("live");
      })
      .catch(() => {});
  }, []);

  const tabBtn = (t: Tab, label: string) => (
    <button
      type="button"
      class={`tab${tab === t ? " on" : ""}`}
      data-testid={`tab-${t}`}
      onClick={() => setTab(t)}
    >
      {label}
    </button>
  );
  return (
    <div class="app" data-testid="app">
      <header>
        <h1>nacs dashboard</h1>
        <nav>
          {info?.live && tabBtn("live", "Live session")}
          {tabBtn("capture", "Capture viewer")}
          {tabBtn("record", "Record viewer")}
        </nav>
        {info && <span class="muted small">nacs {info.version}</span>}
      </header>
      {initial.error && (
        <p class="error" data-testid="record-error">
          {initial.error}
        </p>
      )}
      {info?.live && <div hidden={tab !== "live"}>{<LiveView />}</div>}
      <div hidden={tab !== "capture"}>
        <CaptureView />
      </div>
      <div hidden={tab !== "record"}>
        <RecordView {...(initial.model ? { initial: initial.model, name: "embedded record" } : {})} />
      </div>
    </div>
  );
}
