/** Live session: WebSocket events (batched per animation frame) on the session views, plus the control panel. */
import { useEffect, useRef, useState } from "preact/hooks";
import { connectLive, type LiveConnection, liveUrl } from "../live/connection.js";
import type { Role } from "../live/protocol.js";
import { applyEvents, createSessionModel } from "../model/session-model.js";
import { type ControlLog, ControlPanel } from "./ControlPanel.js";
import { SessionView } from "./SessionView.js";

export function LiveView() {
  const modelRef = useRef(createSessionModel());
  const model = modelRef.current;
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState("connecting");
  const [ended, setEnded] = useState(false);
  const [hello, setHello] = useState<{
    roles: Role[];
    commands: Partial<Record<Role, string>>;
    command: string;
    scenarios: boolean;
  }>();
  const [log, setLog] = useState<ControlLog[]>([]);
  const [error, setError] = useState("");
  const conn = useRef<LiveConnection | undefined>(undefined);

  useEffect(() => {
    conn.current = connectLive(liveUrl(location), {
      onHello: (h) => {
        // every hello starts the history afresh (a reconnect gets it again)
        if (modelRef.current.count > 0) modelRef.current = createSessionModel();
        setEnded(false);
        setHello(h);
      },
      onEvents: (events) => setVersion(applyEvents(modelRef.current, events).version),
      onEnd: () => setEnded(true),
      onResult: (r) =>
        setLog((l) =>
          l.map((c) => (c.id === r.id ? { ...c, result: { ok: r.ok, text: r.ok ? r.did : r.error } } : c)),
        ),
      onError: setError,
      onStatus: setStatus,
    });
    return () => conn.current?.close();
  }, []);

  const send = (role: Role, line: string) => {
    if (!conn.current) return;
    const id = conn.current.control(role, line);
    setLog((l) => [...l.slice(-50), { id, role, line }]);
  };
  const runScenario = (name: string, text: string) => {
    if (!conn.current) return;
    const id = conn.current.scenario(name, text);
    // shown in the log under the side that runs the simulation's script (both sides: the EV's driver)
    setLog((l) => [...l.slice(-50), { id, role: "ev", line: `scenario ${name}` }]);
  };
  return (
    <div data-testid="live-view">
      <p class="muted">
        <span data-testid="connection-status">{status}</span>
        {hello && ` — nacs ${hello.command}`}
        {ended && (
          <b data-testid="live-ended" class="ended">
            {" "}
            session over
          </b>
        )}
        {error && <span class="error"> {error}</span>}
      </p>
      {hello && hello.roles.length > 0 && (
        <ControlPanel
          roles={hello.roles}
          commands={hello.commands}
          log={log}
          send={send}
          runScenario={hello.scenarios ? runScenario : undefined}
        />
      )}
      <SessionView model={model} version={version} />
    </div>
  );
}
