"""20 status (``status.json``): is each data service of the site current as of the range's end?

The original compared the age of ``v1/live/latest.json`` and table freshness with the wall clock.
Here "now" is the as-of date A (the newest predicted date: tonight's slate) and F the newest final
date (A itself once its games are final), so the page is deterministic:

* predictions: the newest prediction date equals the newest feature-store date up to the end
  (every date that can be predicted is); degraded if older, unhealthy without predictions;
* grading: the newest graded date reaches F (a scheduled slate is not graded yet, issue 12);
* tonight_data: ``tonight/all-players.json`` exists in the store and describes A;
* live_data: ``live/latest.json`` exists and describes F (live objects exist for final dates only).

Runs after every other object of the as-of job (it reads two of them).
"""
from __future__ import annotations

import json

from nbaprops.exporters.base import API_VERSION, AsOfExporter, data_timestamp

HEALTHY, DEGRADED, UNHEALTHY = "healthy", "degraded", "unhealthy"


def _service(status: str, last_update, message: str) -> dict:
    return {"status": status, "last_update": last_update, "message": message}


class StatusExporter(AsOfExporter, name="status", schema="status", keys=("status.json",), max_age=60):
    def export(self, reads, ctx):
        newest = reads.newest_dates(ctx.end)
        features, predicted, graded = newest["features"], newest["predicted"], newest["graded"]
        if predicted is None:
            predictions = _service(UNHEALTHY, None, "no predictions")
        elif features is not None and predicted < features:
            predictions = _service(DEGRADED, predicted,
                                   f"features exist up to {features}, predictions up to {predicted}")
        else:
            predictions = _service(HEALTHY, predicted, "predictions are current")
        if ctx.final is None:
            grading = _service(HEALTHY, graded, "no game date is final yet")
        elif graded is None:
            grading = _service(UNHEALTHY, None, "nothing graded")
        elif graded < ctx.final:
            grading = _service(DEGRADED, graded, f"games final up to {ctx.final}, graded up to {graded}")
        else:
            grading = _service(HEALTHY, graded, "grading is current")
        live = (_service(HEALTHY, None, "no game date is final yet: no live objects") if ctx.final is None
                else self._object(ctx, "live/latest.json", ctx.final))
        services = {"predictions": predictions, "grading": grading,
                    "tonight_data": self._object(ctx, "tonight/all-players.json", ctx.as_of), "live_data": live}
        states = {s["status"] for s in services.values()}
        overall = UNHEALTHY if UNHEALTHY in states else DEGRADED if DEGRADED in states else HEALTHY
        doc = {"updated_at": data_timestamp(ctx.as_of), "as_of_date": ctx.as_of, "overall_status": overall,
               "services": services,
               "known_issues": [{"service": name, "status": s["status"], "message": s["message"]}
                                for name, s in sorted(services.items()) if s["status"] != HEALTHY],
               "maintenance_windows": []}
        return [self.obj("status.json", doc)]

    @staticmethod
    def _object(ctx, key: str, want) -> dict:
        full = f"{API_VERSION}/{key}"
        if ctx.store is None or not ctx.store.exists(full):
            return _service(UNHEALTHY, None, f"{full} is missing")
        day = json.loads(ctx.store.read_bytes(full)).get("game_date")
        if day != want.isoformat():
            return _service(DEGRADED, day, f"{full} describes {day}, not {want}")
        return _service(HEALTHY, day, f"{full} describes {day}")
