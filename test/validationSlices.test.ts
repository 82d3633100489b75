/**
 * The opt-in `slices` and `canary` fields: the exact lines a user reads for a label that cannot
 * split panels (reserved, the contract's own, a selector label, bad syntax, repeated, too many) or
 * a canary track whose two values are the same.
 */
import { normalizeService } from "../service/normalize";
import { problemsOf, validDescription } from "./support/validationProblems";

it("carries declared slices and the track to the model, and none by default", () => {
  const plain = normalizeService(validDescription());
  expect([plain.slices, plain.canary]).toEqual([[], undefined]);
  const d = validDescription();
  d.slices = [{ label: "region", description: "cloud region" }, { label: "tenant_tier" }];
  d.canary = { label: "track", canary: "canary", baseline: "stable" };
  const m = normalizeService(d);
  expect(m.slices.map((s) => s.label)).toEqual(["region", "tenant_tier"]);
  expect(m.canary).toEqual({ label: "track", canary: "canary", baseline: "stable" });
});

it.each([
  ["le", "slices[0].label: le is reserved (le, quantile, job, instance, service, team, slo, severity, window, none); use the label that tells the slices apart, e.g. region"],
  ["__name__", "slices[0].label: __name__ starts with __, which Prometheus reserves for its own labels; use a plain label name"],
  ["instance", "slices[0].label: instance is reserved (le, quantile, job, instance, service, team, slo, severity, window, none); use the label that tells the slices apart, e.g. region"],
  ["model_version", "slices[0].label: model_version is the metric contract's modelVersion label, which panels already split by; use another label"],
  ["region-name", 'slices[0].label: "region-name" is not allowed; use a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)'],
])("refuses the slice label %s", (label, expected) => {
  const found = problemsOf((d) => (d.slices = [{ label }]));
  expect(found).toHaveLength(1);
  expect(found[0]).toContain(expected);
});

it("refuses a selector label, a repeated label and more than four slices, with their paths", () => {
  const selector = problemsOf((d) => {
    d.selector = { job: "svc", namespace: "search" };
    d.slices = [{ label: "namespace" }];
  });
  expect(selector).toEqual(["slices[0].label: namespace is a selector label, which has one value for the service; use a label with several values"]);
  expect(problemsOf((d) => (d.slices = [{ label: "region" }, { label: "region" }]))).toEqual([`slices[1].label: "region" is already used by slices[0]; each label must be unique`]);
  expect(problemsOf((d) => (d.slices = ["a", "b", "c", "d", "e"].map((label) => ({ label }))))).toEqual(["slices: has 5 items; give at most 4"]);
});

it("refuses a canary track with one value for both, a reserved label, or values that are not plain words", () => {
  expect(problemsOf((d) => (d.canary = { label: "track", canary: "live", baseline: "live" }))).toEqual([
    "canary.baseline: is the same value as canary.canary (live); name the label's value on baseline traffic, e.g. stable",
  ]);
  expect(problemsOf((d) => (d.canary = { label: "job", canary: "canary", baseline: "stable" }))[0]).toMatch(/^canary\.label: job is reserved/);
  expect(problemsOf((d) => (d.canary = { label: "track", canary: 'canary"}', baseline: "stable" }))[0]).toMatch(/^canary\.canary: /);
});
