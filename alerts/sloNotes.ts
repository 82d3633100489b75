/**
 * Notes on a valid service that still deserve the author's attention: burn-rate windows its SLO
 * objectives put out of reach (see unreachableWindows). Not errors: a loose quality SLO can be
 * meant that way. `mlobs validate` prints them; ServiceObservability attaches them as cdktf warnings.
 */
import type { ServiceModel } from "../service/model";
import { BURN_WINDOWS, burnFactor, burnThreshold, minimumObjectivePercent, unreachableWindows, type BurnWindow } from "./burnRateWindows";
import { durationSeconds } from "./promql";

const percent = (x: number) => `${Number((x * 100).toPrecision(6))} %`;
const hours = (seconds: number) => `${Number((seconds / 3600).toPrecision(3))} h`;

const factor = (w: BurnWindow, periodDays: number) => `${Number(burnFactor(w, periodDays).toPrecision(4))}x`;

export function sloNotes(model: ServiceModel): string[] {
  const notes: string[] = [];
  for (const slo of model.slos) {
    const out = unreachableWindows(slo.objective, slo.periodDays);
    if (out.length === 0) continue;
    const threshold = (w: BurnWindow) => burnThreshold(w, slo.objective, slo.periodDays);
    const ratio = (w: BurnWindow) => percent(threshold(w));
    const head = `slo "${slo.name}" (objective ${percent(slo.objective)})`;
    const pages = BURN_WINDOWS.filter((w) => w.severity === "page");
    const livePages = pages.filter((w) => !out.includes(w));
    const deadPages = pages.filter((w) => out.includes(w));
    const deadTickets = out.filter((w) => w.severity === "ticket");
    if (deadPages.length > 0 && livePages.length === 0) {
      notes.push(
        `${head}: no page can fire (${deadPages.map((w) => `${factor(w, slo.periodDays)} over ${w.long} needs an error ratio of ${ratio(w)}`).join(", ")}), ` +
          `so it only opens tickets; objectivePercent ${minimumObjectivePercent(pages[pages.length - 1], slo.periodDays)} or more can page`,
      );
    } else if (deadPages.length > 0) {
      // A total failure (error ratio 1) reaches a window's threshold after threshold x long window.
      const first = livePages[0];
      const after = threshold(first) * durationSeconds(first.long);
      for (const w of deadPages)
        notes.push(
          `${head}: its ${factor(w, slo.periodDays)}-over-${w.long} page needs an error ratio of ${ratio(w)} and never fires; ` +
            `a total failure pages only through ${factor(first, slo.periodDays)} over ${first.long}, after ${hours(after)}; ` +
            `objectivePercent ${minimumObjectivePercent(w, slo.periodDays)} or more pages within ${w.long}`,
        );
    }
    for (const w of deadTickets) notes.push(`${head}: its ${factor(w, slo.periodDays)}-over-${w.long} ticket needs an error ratio of ${ratio(w)} and never fires`);
  }
  return notes;
}
