/** Safety trips with fault → detection and detection → output-off times. */
import type { SessionModel } from "../model/session-model.js";
import { tripLabel } from "../model/trip-label.js";

export function TripList({ model }: { model: SessionModel; version: number }) {
  if (model.trips.length === 0) return null;
  return (
    <ul class="trips" data-testid="trip-list">
      {model.trips.map((t) => (
        <li key={t.t} data-testid="trip-item">
          <b>{t.t.toFixed(3)} s</b> trip {tripLabel(t)}
          {t.reason && t.reason !== t.fault ? ` — ${t.reason}` : ""}
        </li>
      ))}
    </ul>
  );
}
