/**
 * Dashboard JSON as `grafana_dashboard.config_json` receives it: compact, keys in the order the
 * builders set them. The builders and the generators calling them are deterministic, so the same
 * service description always gives the same bytes.
 *
 * Compact, and keys not sorted, because the Grafana provider's state function for `config_json`
 * parses the JSON and prints it again (Go's encoder, sorted keys, no indent): neither layout nor
 * key order ever shows in a plan. Indenting cost time and space for nothing a reviewer sees:
 * printing the 1,500 dashboards of 500 services with a two-space indent made them about 40 %
 * bigger (the synthesized output 131.9 MB instead of 102.6 MB, docs/benchmark.md) and slower to
 * print, scan and write.
 * Readable copies come from `dashboardFiles` (two-space indent). The text is plain ASCII (the
 * panel texts use none else), so V8 keeps every dashboard a one-byte string.
 */
export function dashboardJson(value: unknown): string {
  return JSON.stringify(value);
}

/** The same dashboard with a two-space indent, for files people read and diff. */
export function readableDashboardJson(json: string): string {
  return JSON.stringify(JSON.parse(json), null, 2);
}
