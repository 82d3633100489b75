/** Sections 1 and 2 of the benchmark report: synth time and memory against the bare baseline, and output size. */
import { workMs } from "../runChild";
import { bytes, max, median, mib, min, msf, pairedRatios, ratio, sec } from "../stats";
import type { SizeResult } from "../synthBench";
import { minMedian as mm, table, type Cell } from "./markdownTable";

/** `1.08x–1.37x, median 1.22x`: the interleaved runs' own ratios (wall time). */
export function pairs(s: SizeResult): string {
  const r = pairedRatios(s.project.map((x) => x.wallMs), s.baseline.map((x) => x.wallMs));
  return `${ratio(min(r))}–${ratio(max(r))}, median ${ratio(median(r))}`;
}

export function synthSection(synth: readonly SizeResult[]): string {
  const out = [timeAndMemoryTable(synth)];
  out.push("");
  out.push("Median time per phase (ms), project / baseline. `boot` is node + ts-node start-up, `import` loads cdktf, the provider classes and (project) the generators, `describe` generates the descriptions (project) or reads the program description (baseline; left out of its wall time), `build` constructs the app (project: validation and every generator), `synth` is `app.synth()`.");
  out.push("");
  const phase = (runs: SizeResult["project"], p: string) => median(runs.map((r) => (p === "boot" ? r.bootMs : (r.phases[p] ?? 0))));
  out.push(
    table(
      ["N", "boot", "import", "describe", "build", "synth"],
      synth.map((s) => [s.n, ...["boot", "import", "describe", "build", "synth"].map((p) => `${phase(s.project, p).toFixed(0)} / ${phase(s.baseline, p).toFixed(0)}`)]),
    ),
  );
  if (synth.length > 1) out.push("", "Linearity: marginal build+synth cost per added service between consecutive sizes (medians). Flat means linear total time.", "", linearityTable(synth));
  out.push("");
  out.push(countCheck(synth));
  return out.join("\n");
}

function timeAndMemoryTable(synth: readonly SizeResult[]): string {
  return table(
    ["N", "stacks", "resources + data", "project wall (min / median)", "baseline wall (min / median)", "overhead, wall", "single pairs, wall", "project build+synth (min / median)", "baseline build+synth (min / median)", "overhead, build+synth", "project build+synth per service", "project peak RSS (max)", "baseline peak RSS (max)", "runs"],
    synth.map((s) => {
      const pw = s.project.map((r) => r.wallMs);
      const bw = s.baseline.map((r) => r.wallMs);
      const pk = s.project.map(workMs);
      const bk = s.baseline.map(workMs);
      return [
        s.n,
        s.projectOutput.stacks,
        s.projectOutput.blocks,
        mm(pw, sec),
        mm(bw, sec),
        ratio(median(pw) / median(bw)),
        pairs(s),
        mm(pk, sec),
        mm(bk, sec),
        ratio(median(pk) / median(bk)),
        msf(median(pk) / s.n),
        mib(max(s.project.map((r) => r.maxRssKiB))),
        mib(max(s.baseline.map((r) => r.maxRssKiB))),
        `${s.project.length} + ${s.baseline.length}`,
      ];
    }),
  );
}

function linearityTable(synth: readonly SizeResult[]): string {
  const rows: Cell[][] = [];
  for (let i = 1; i < synth.length; i++) {
    const a = synth[i - 1];
    const b = synth[i];
    const d = (runs: SizeResult["project"], runsB: SizeResult["project"]) => (median(runsB.map(workMs)) - median(runs.map(workMs))) / (b.n - a.n);
    rows.push([`${a.n} → ${b.n}`, msf(d(a.project, b.project)), msf(d(a.baseline, b.baseline))]);
  }
  return table(["sizes", "project ms / added service", "baseline ms / added service"], rows);
}

/** Whether the baseline still builds what the project builds, so the overhead compares like with like. */
function countCheck(synth: readonly SizeResult[]): string {
  const mismatched = synth.filter((s) => s.countMismatch.length > 0);
  return mismatched.length === 0
    ? `Check: at every size the baseline wrote the same Terraform as the project, stack by stack (every \`cdk.tf.json\` equal once the stack-level \`//\` metadata is left out), hence the same stacks, outputs, resources, data sources, attributes and references. Types at N = ${synth[synth.length - 1].n}: ${synth[synth.length - 1].typeCounts.map(([k, v]) => `${k.replace(/^(resource|data)\./, "")} ${v}`).join(", ")}.`
    : `**Check failed**: the baseline's counts differ from the project's: ${mismatched.map((s) => `N=${s.n}: ${s.countMismatch.join("; ")}`).join(" / ")}. The baseline (bench/baseline/) does not reproduce the project's output: a new resource type needs its provider schema entry (npm run gen:aws-subset).`;
}

export function sizeSection(synth: readonly SizeResult[]): string {
  return table(
    ["N", "total JSON", "per service", "baseline total", "largest stack", "shared Grafana stack", "service AWS stack (min / avg / max)", "service Grafana stack (min / avg / max)", "platform stack", "largest dashboard JSON", "largest AMP rule file", "largest SSM value", "most rules in one Grafana rule group", "AMP recording rules", "Grafana alert rules"],
    synth.map((s) => {
      const o = s.projectOutput;
      return [
        s.n,
        bytes(o.totalBytes),
        bytes(o.totalBytes / s.n),
        bytes(s.baselineBytes),
        `${o.largestStack.id}: ${bytes(o.largestStack.bytes)}, ${o.largestStack.blocks} blocks`,
        bytes(o.grafanaBytes),
        `${bytes(o.serviceStackBytes.min)} / ${bytes(o.serviceStackBytes.avg)} / ${bytes(o.serviceStackBytes.max)}`,
        `${bytes(o.serviceGrafanaStackBytes.min)} / ${bytes(o.serviceGrafanaStackBytes.avg)} / ${bytes(o.serviceGrafanaStackBytes.max)}`,
        bytes(o.platformBytes),
        bytes(o.largest.dashboardJson),
        bytes(o.largest.ruleNamespaceData),
        bytes(o.largest.ssmValue),
        o.largest.ruleGroupRules,
        o.recordingRules,
        o.grafanaAlertRules,
      ];
    }),
  );
}
