/**
 * The one escaping choke point between generated text and Terraform.
 *
 * Terraform reads every string in its JSON configuration as a template: `${...}` interpolates and
 * `%{...}` runs a directive. cdktf writes attribute values as they are given, so text from a
 * service description (an owner of `${file("/etc/hostname")}`, a selector with `%{ if }`, Grafana's
 * own `${datasource}` in a dashboard) would be evaluated by `terraform plan` on the CI runner.
 * Everything the project writes is literal text except cdktf's own references (its
 * `${TfToken[...]}` markers, which it turns into `${aws_x.y.arn}`), so every literal stretch is
 * escaped (`$${`, `%%{`) and the markers are left alone.
 *
 * The escaping happens in one place for every resource, data source and provider under the
 * project's constructs: `literalText(scope)` adds an aspect that wraps each element's
 * `synthesizeAttributes`. A new resource cannot forget it, and a value is never escaped twice.
 */
import { Aspects, LazyBase, TerraformDataSource, TerraformProvider, TerraformResource, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";

// cdktf's string token marker (cdktf/lib/tokens/private/encoding.js: "${TfToken[" key "]}").
const TOKEN_MARKER = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/** Escapes a string that holds no cdktf reference: what Terraform then sees is exactly `text`. */
function escapePlain(text: string): string {
  // split/join, not replaceAll: "$$" in a replacement string would itself collapse to "$".
  const dollars = text.includes("${") ? text.split("${").join("$${") : text;
  return dollars.includes("%{") ? dollars.split("%{").join("%%{") : dollars;
}

/** True when every "${" from `first` on opens one of cdktf's markers, none right after a literal "$". */
function onlyMarkers(text: string, first: number): boolean {
  for (let i = first; i >= 0; i = text.indexOf("${", i + 2)) if (!text.startsWith("${TfToken[", i) || text[i - 1] === "$") return false;
  return true;
}

/**
 * Literal text for a Terraform string attribute: `${` and `%{` outside cdktf's reference markers
 * are escaped, the markers are kept. Text that needs no escaping is returned as it is (the common case).
 */
export function terraformLiteral(text: string): string {
  const dollar = text.indexOf("${");
  const directive = text.includes("%{");
  if (dollar < 0 && !directive) return text;
  // Most strings that hold a "${" hold only cdktf's markers (references): nothing to escape, and
  // no new string (this runs on every attribute of every resource).
  if (!directive && onlyMarkers(text, dollar)) return text;
  if (!text.includes("${TfToken[")) return escapePlain(text);
  let out = "";
  let last = 0;
  for (const m of text.matchAll(TOKEN_MARKER)) {
    const literal = text.slice(last, m.index);
    // "$" + "${ref}" would print "$${ref}", which Terraform reads as the literal text "${ref}".
    if (literal.endsWith("$"))
      throw new Error(`internal: literal text ending in "$" right before a Terraform reference in ${JSON.stringify(text.slice(0, 80))}; put a separator between them`);
    out += escapePlain(literal) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapePlain(text.slice(last));
}

const escapedLazies = new WeakSet<object>();
const ESCAPE_PRODUCED = { postProcess: (produced: unknown) => terraformLiteralDeep(produced) };

/**
 * A lazy value (cdktf's `Lazy.anyValue`, rendered at synth, e.g. the workspace's per-service
 * label sets) is produced after the attributes are read: its result is escaped as it is produced.
 * Lazies are passed as values (objects), never as string markers inside text: a marker is taken
 * for a reference and left as it is.
 */
function escapeLazy(token: unknown): void {
  if (!(token instanceof LazyBase) || escapedLazies.has(token)) return;
  escapedLazies.add(token);
  token.addPostProcessor(ESCAPE_PRODUCED);
}

/**
 * `terraformLiteral` over every string (and plain-object key) of an attribute value. Lazy values are
 * escaped when produced; other cdktf objects (references) are left as they are.
 */
export function terraformLiteralDeep(value: unknown): unknown {
  if (typeof value === "string") return terraformLiteral(value);
  if (value instanceof LazyBase) {
    escapeLazy(value);
    return value;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = terraformLiteralDeep(value[i]);
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const k of Object.keys(record)) {
      const key = terraformLiteral(k);
      const v = terraformLiteralDeep(record[k]);
      if (key !== k || v !== record[k]) {
        copy ??= { ...record };
        if (key !== k) delete copy[k];
        copy[key] = v;
      }
    }
    return copy ?? value;
  }
  return value;
}

type Synthesizer = { synthesizeAttributes(): Record<string, unknown>; synthesizeHclAttributes(): Record<string, unknown> };
const wrapped = new WeakSet<object>();

/** Wraps the attributes of every Terraform element it visits; see the module comment. */
class LiteralText implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource || node instanceof TerraformDataSource || node instanceof TerraformProvider)) return;
    if (wrapped.has(node)) return;
    wrapped.add(node);
    // synthesizeAttributes is protected in cdktf's typings; the aspect is the one place that wraps it.
    const element = node as unknown as Synthesizer;
    const json = element.synthesizeAttributes.bind(element);
    const hcl = element.synthesizeHclAttributes.bind(element);
    element.synthesizeAttributes = () => terraformLiteralDeep(json()) as Record<string, unknown>;
    element.synthesizeHclAttributes = () => terraformLiteralDeep(hcl()) as Record<string, unknown>;
  }
}

const ASPECT = new LiteralText();

/** Makes every Terraform element under `scope` write its attribute text literally. Idempotent. */
export function literalText(scope: IConstruct): void {
  if (!Aspects.of(scope).all.includes(ASPECT)) Aspects.of(scope).add(ASPECT);
}
