/**
 * Widths on Grafana's 24-column grid. Sections ask for a width per panel; the layout packs panels
 * into lines left to right and widens the last panel of each line to the edge, so a service with
 * three stages gets three wider panels rather than a hole. The SDK's DashboardBuilder then assigns
 * x and y from these widths.
 */
import type { PanelSpec } from "./presets";

export const GRID_COLUMNS = 24;

/** Widths of the specs after packing: every line sums to exactly 24 columns. */
export function packWidths(specs: readonly PanelSpec[]): number[] {
  const widths = specs.map((s) => Math.min(Math.max(1, s.width), GRID_COLUMNS));
  let used = 0;
  widths.forEach((w, i) => {
    if (used + w > GRID_COLUMNS) {
      widths[i - 1] += GRID_COLUMNS - used;
      used = 0;
    }
    used += w;
  });
  if (widths.length > 0) widths[widths.length - 1] += GRID_COLUMNS - used;
  return widths;
}

/** `n` widths as equal as the grid allows, summing to 24 (5 headline stats: 5, 5, 5, 5, 4). */
export function evenWidths(n: number): number[] {
  const base = Math.floor(GRID_COLUMNS / n);
  const extra = GRID_COLUMNS - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

/** A headline panel before the layout gives it a width. */
export type Headline = Omit<PanelSpec, "width">;

/** Headline panels side by side across the full width; absent ones (undefined) are left out. */
export function spread(panels: readonly (Headline | undefined)[]): PanelSpec[] {
  const present = panels.filter((p): p is Headline => p !== undefined);
  const widths = evenWidths(present.length);
  return present.map((p, i) => ({ ...p, width: widths[i] }));
}
