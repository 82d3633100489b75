/**
 * A synthesized cdktf output (`cdktf.out`) as plain data: one parsed `cdk.tf.json` per stack, and
 * the small helpers review/ and lint/ use to walk it. Pure: the loader (load.ts) does the reading.
 *
 * Stacks are named `obs-<env>-<part>` (constructs/stackNames.ts stackId); the environment is read
 * from the AWS provider's default `environment` tag, so environment names with dashes stay
 * unambiguous.
 */

import { stackId } from "../constructs/stackNames";
import { PLATFORM_STACK_PART } from "../service/names";

export type Json = { readonly [key: string]: unknown };

export type StackKind = "platform" | "service" | "grafana" | "other";

/** Runbook pages written next to a stack, keyed `<service>/<slug>` (see load.ts readRunbooks). */
export type Runbooks = ReadonlyMap<string, string>;
export const NO_RUNBOOKS: Runbooks = new Map();

export interface StackDoc {
  /** Stack name, e.g. `obs-prod-rag-assistant`. */
  readonly name: string;
  readonly environment: string;
  /** `platform`, `grafana`, or the service name. */
  readonly part: string;
  readonly kind: StackKind;
  readonly json: Json;
  /** The runbook pages of the services whose alerts the stack holds. */
  readonly runbooks: Runbooks;
}

export interface SynthOutput {
  /** Sorted by name. */
  readonly stacks: readonly StackDoc[];
}

export interface Resource {
  readonly stack: StackDoc;
  readonly type: string;
  readonly name: string;
  /** Terraform address inside the stack: `<type>.<name>`. */
  readonly address: string;
  /** Construct path without the stack, e.g. `service/logs/errors`, for humans. */
  readonly path: string;
  readonly body: Json;
}

export const isObject = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);
export const obj = (x: unknown): Json => (isObject(x) ? x : {});
export const arr = (x: unknown): readonly unknown[] => (Array.isArray(x) ? x : []);
export const str = (x: unknown): string | undefined => (typeof x === "string" ? x : undefined);
export const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** First element of a block list (`provider.aws[0]`, `default_tags[0]`) or the object itself. */
export const first = (x: unknown): Json => obj(Array.isArray(x) ? x[0] : x);

function environmentOf(name: string, json: Json): string {
  const providers = obj(json.provider);
  const tags = obj(first(first(providers.aws).default_tags).tags);
  const env = str(tags.environment);
  if (env) return env;
  const m = /^obs-([^-]+)-/.exec(name);
  return m ? m[1] : "(unknown)";
}

function kindOf(part: string, json: Json): StackKind {
  if (obj(json.provider).grafana !== undefined) return "grafana";
  if (part === PLATFORM_STACK_PART) return "platform";
  const resources = obj(json.resource);
  const tagged = Object.values(resources).some((byName) =>
    Object.values(obj(byName)).some((r) => str(obj(obj(r).tags).service) !== undefined),
  );
  return tagged ? "service" : "other";
}

/** One parsed stack with its environment, part and kind. */
export function stackDoc(name: string, json: Json, runbooks: Runbooks = NO_RUNBOOKS): StackDoc {
  const environment = environmentOf(name, json);
  const prefix = stackId(environment, "");
  const part = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return { name, environment, part, kind: kindOf(part, json), json, runbooks };
}

/** Classifies parsed stacks: `{ "obs-prod-platform": <cdk.tf.json>, ... }`, with their runbook pages when read. */
export function synthOutputFrom(stacks: Readonly<Record<string, Json>>, runbooks: Readonly<Record<string, Runbooks>> = {}): SynthOutput {
  return { stacks: Object.keys(stacks).sort(byString).map((name) => stackDoc(name, stacks[name], runbooks[name])) };
}

/** resourcesOf per stack and type: every rule and section asks again, so each list is built once. */
const resourceCache = new WeakMap<StackDoc, Map<string, readonly Resource[]>>();

/** Every resource of a stack (optionally of one type), sorted by address. */
export function resourcesOf(stack: StackDoc, type?: string): readonly Resource[] {
  const byType = resourceCache.get(stack) ?? new Map<string, readonly Resource[]>();
  resourceCache.set(stack, byType);
  const k = type ?? "\u0000all";
  let list = byType.get(k);
  if (!list) byType.set(k, (list = listResources(stack, type)));
  return list;
}

function listResources(stack: StackDoc, type?: string): Resource[] {
  const all = obj(stack.json.resource);
  const types = type ? [type] : Object.keys(all).sort(byString);
  return types.flatMap((t) =>
    Object.keys(obj(all[t]))
      .sort(byString)
      .map((name) => {
        const body = obj(obj(all[t])[name]);
        const fullPath = str(obj(obj(body["//"]).metadata).path) ?? name;
        const path = fullPath.startsWith(`${stack.name}/`) ? fullPath.slice(stack.name.length + 1) : fullPath;
        return { stack, type: t, name, address: `${t}.${name}`, path, body };
      }),
  );
}

/** Every resource of every stack of one type, in stack then address order. */
export function allResources(output: SynthOutput, type: string): readonly Resource[] {
  return output.stacks.flatMap((s) => resourcesOf(s, type));
}

/** A data source's body (`data.<type>.<name>`), if the stack declares it. */
export function dataSource(stack: StackDoc, type: string, name: string): Json | undefined {
  const d = obj(obj(stack.json.data)[type])[name];
  return isObject(d) ? d : undefined;
}

/** Environments present in either output, sorted. */
export function environmentsOf(...outputs: SynthOutput[]): string[] {
  return [...new Set(outputs.flatMap((o) => o.stacks.map((s) => s.environment)))].sort(byString);
}

/** `${expr}` with nothing around it and no string literal inside: a Terraform reference. */
export function referenceExpression(value: string): string | undefined {
  const m = /^\$\{([^"{}]+)\}$/.exec(value.trim());
  return m ? m[1].trim() : undefined;
}

const REMOTE_OUTPUT = /^data\.terraform_remote_state\.cross-stack-reference-input-([^.]+)\.outputs\.([^.\s]+)$/;

/**
 * A reference as a reader would say it. Cross-stack reads are followed to the upstream stack's
 * output (`obs-prod-platform: aws_kms_key.platform_key_B591395E.arn`); secret reads name the
 * secret (`ssm:/path`, `secretsmanager:name`). Anything else is returned as written.
 */
export function describeValue(output: SynthOutput, stack: StackDoc, value: unknown): string {
  if (typeof value !== "string") return value === undefined ? "(none)" : JSON.stringify(value);
  const expr = referenceExpression(value);
  if (!expr) return value;
  const remote = REMOTE_OUTPUT.exec(expr);
  if (remote) {
    const upstream = output.stacks.find((s) => s.name === remote[1]);
    const target = str(obj(obj(upstream?.json.output)[remote[2]]).value);
    const inner = target ? referenceExpression(target) : undefined;
    return `${remote[1]}: ${inner ?? remote[2]}`;
  }
  const ssm = /^data\.aws_ssm_parameter\.([^.]+)\.value$/.exec(expr);
  if (ssm) {
    const name = str(dataSource(stack, "aws_ssm_parameter", ssm[1])?.name);
    if (name) return `ssm:${name}`;
  }
  const sm = /^data\.aws_secretsmanager_secret_version\.([^.]+)\.secret_string$/.exec(expr);
  if (sm) {
    const id = str(dataSource(stack, "aws_secretsmanager_secret_version", sm[1])?.secret_id);
    if (id) return `secretsmanager:${id}`;
  }
  return expr;
}

/** The body without cdktf's `//` metadata, for comparisons. */
export function withoutMetadata(body: Json): Json {
  const { "//": _meta, ...rest } = body;
  return rest;
}

/** Stable JSON (sorted keys), for equality and fingerprints. */
export function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(",")}]`;
  if (isObject(x))
    return `{${Object.keys(x)
      .sort(byString)
      .map((k) => `${JSON.stringify(k)}:${canonical(x[k])}`)
      .join(",")}}`;
  return JSON.stringify(x) ?? "null";
}
