/**
 * No template sequences reach Terraform unescaped. Terraform evaluates `${…}` and `%{…}` in every
 * string of a `.tf.json` file (and in object keys used as values), so a description field that
 * carries `${file("/etc/hostname")}` runs at plan time on whoever plans it. The constructs escape
 * user text (`$${`, `%%{`); this rule is the second line of defence: any interpolation that is not
 * a plain reference of the kind the project writes (`${aws_….x.y}`, `${data.…}`, `${var.…}`,
 * `${local.…}`, `${module.…}`, `${terraform.workspace}`, cross-stack `${data.terraform_remote_state…}`)
 * and any `%{` directive is a finding.
 */
import { byString, isObject, obj, str, type Json, type StackDoc } from "../../review/synthOutput";
import { serviceOfGrafanaStackPart } from "../../service/names";
import type { Finding, LintRule } from "../finding";

export const UNESCAPED_TEMPLATE: LintRule = {
  id: "unescaped-template",
  summary: "no `${…}` / `%{…}` template sequence other than a plain reference reaches Terraform (escape user text as `$${` / `%%{`)",
};

/** `<block>.<name>.<attr>…` with plain attribute steps and literal indexes: nothing Terraform would run. */
const PLAIN_REFERENCE = /^(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+|\[\d+\]|\["[A-Za-z0-9_.-]*"\])*$/;
/** Function calls the project itself writes (terraform_data's rotation trigger). */
const PROJECT_CALLS = new Set(["timestamp()"]);

/** The template sequences of a string Terraform would evaluate: `${…}` / `%{…}` not escaped by a doubled sigil. */
export function unescapedTemplates(s: string): string[] {
  if (!s.includes("${") && !s.includes("%{")) return [];
  const out: string[] = [];
  for (const m of s.matchAll(/(\$+|%+)\{/g)) {
    // A run of sigils before `{`: `${` opens a template, `$${` is the escape for a literal `${`
    // (and any longer run ends in that escape), the same for `%`.
    if (m[1].length !== 1) continue;
    const start = m.index! + 1;
    let depth = 0;
    let end = s.length;
    for (let i = start; i < s.length; i++) {
      if (s[i] === "{") depth++;
      else if (s[i] === "}" && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    const body = s.slice(start + 1, end - 1).trim();
    if (m[1] === "$" && (PLAIN_REFERENCE.test(body) || PROJECT_CALLS.has(body))) continue;
    out.push(s.slice(m.index!, end));
  }
  return out;
}

/** The sequence as written, on one line and clipped (it is attacker text: no control characters). */
const clip = (s: string) => `"${(s.length > 80 ? `${s.slice(0, 79)}…` : s).replace(/[\u0000-\u001f\u007f]/g, " ")}"`;

/** Sections Terraform evaluates templates in (variables' defaults and the backend are literal). */
const SECTIONS = ["resource", "data", "provider", "output", "locals", "module"] as const;

/** The service a stack belongs to: `obs-prod-x-grafana` is x's, as is `obs-prod-x`. */
const serviceOfStack = (stack: StackDoc) => (stack.kind === "grafana" ? serviceOfGrafanaStackPart(stack.part) : undefined) ?? stack.part;

/** Findings of one stack; walks it once (values and object keys, cdktf's `//` comments left out). */
export function templateFindings(stack: StackDoc): Finding[] {
  const findings: Finding[] = [];
  const report = (address: string, field: string, text: string, service: string) => {
    for (const t of unescapedTemplates(text))
      findings.push({
        rule: UNESCAPED_TEMPLATE.id,
        environment: stack.environment,
        service,
        address: `${stack.name}: ${address}${field ? ` ${field}` : ""}`,
        message: `${clip(t)} is a Terraform template ${t.startsWith("%") ? "directive" : "expression"} that Terraform evaluates on every plan and apply (it can read files, call functions, reach other resources)`,
        fix: "escape literal text as $${ and %%{ (the constructs do this for description fields); if it came from a service description, drop the template syntax there",
      });
  };
  // The field path is kept as segments and joined only for a finding: building a path string for
  // every value of a 100 MB output costs more than the scan itself.
  const path: (string | number)[] = [];
  const fieldPath = () => path.reduce<string>((acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc === "" ? seg : `${acc}.${seg}`), "");
  const hasSigil = (t: string) => t.includes("${") || t.includes("%{");
  const walk = (x: unknown, address: string, service: string) => {
    if (typeof x === "string") {
      if (hasSigil(x)) report(address, fieldPath(), x, service);
    } else if (Array.isArray(x))
      for (let i = 0; i < x.length; i++) {
        path.push(i);
        walk(x[i], address, service);
        path.pop();
      }
    else if (isObject(x))
      for (const k in x) {
        if (k === "//") continue;
        path.push(k);
        if (hasSigil(k)) report(address, `${fieldPath()} (key)`, k, service);
        walk(x[k], address, service);
        path.pop();
      }
  };
  for (const section of SECTIONS) {
    const body = obj(stack.json[section]);
    if (section === "resource" || section === "data")
      for (const type of Object.keys(body).sort(byString))
        for (const [name, block] of Object.entries(obj(body[type])).sort(([a], [b]) => byString(a, b))) {
          const service = str(obj(obj(block as Json).tags).service) ?? serviceOfStack(stack);
          walk(block, `${section === "data" ? "data." : ""}${type}.${name}`, service);
        }
    else walk(body, section, serviceOfStack(stack));
  }
  return findings;
}
