/**
 * What `mlobs review` reads of two large outputs: every stack's bytes are compared (base against
 * head, one pair at a time, so memory holds two stack files, not two outputs), and only stacks
 * that differ are parsed, with the context their changes are read in:
 *
 * - the other stack of the same service (`obs-<env>-<svc>` and `obs-<env>-<svc>-grafana`), so a
 *   service's alerts are seen whole ("paging disabled" needs every page alert of the service);
 * - the environment's platform and shared Grafana stacks (cross-stack references are described by
 *   the upstream output they read; routing is read from the shared Grafana stack);
 * - every stack a changed stack reads through `terraform_remote_state`;
 * - when an environment's shared Grafana stack (its routing) changed, every stack of the
 *   environment, since any alert may route differently.
 *
 * Stacks with equal bytes give equal review sections on both sides, so leaving them out changes
 * nothing in the review; byte-different stacks whose JSON is the same (key order) count as equal.
 * A stack's JSON states the digest of the runbook pages beside it, so a changed page is a changed
 * stack, and pages are read only for the stacks parsed.
 */
import { readFileSync } from "node:fs";
import { stackId } from "../constructs/stackNames";
import { GRAFANA_STACK_PART, grafanaStackPart, PLATFORM_STACK_PART, serviceOfGrafanaStackPart } from "../service/names";
import { parseStack, readRunbooks, stackFiles, type StackFile } from "./load";
import { byString, canonical, obj, synthOutputFrom, type Json, type SynthOutput } from "./synthOutput";

export interface ReviewScope {
  /** Every stack each manifest lists, sorted. */
  readonly baseStacks: readonly string[];
  readonly headStacks: readonly string[];
  /** Stacks added, removed or changed (by JSON content). */
  readonly changed: readonly string[];
}

export interface ReviewInput {
  /** The changed stacks and their context, parsed. */
  readonly base: SynthOutput;
  readonly head: SynthOutput;
  readonly scope: ReviewScope;
}

const REMOTE_STATE = /^cross-stack-reference-input-(.+)$/;

/** Stacks a stack reads outputs of (cross-stack references). */
function upstreamOf(json: Json): string[] {
  return Object.keys(obj(obj(json.data).terraform_remote_state)).flatMap((k) => {
    const m = REMOTE_STATE.exec(k);
    return m ? [m[1]] : [];
  });
}

/** `obs-prod-x-grafana` <-> `obs-prod-x` (the Grafana part's suffix ends the stack name too). */
const siblingOf = (name: string) => serviceOfGrafanaStackPart(name) ?? grafanaStackPart(name);

export function loadReviewInput(baseDir: string, headDir: string): ReviewInput {
  const files: Sides<Map<string, StackFile>> = {
    base: new Map(stackFiles(baseDir).map((f) => [f.name, f])),
    head: new Map(stackFiles(headDir).map((f) => [f.name, f])),
  };
  const parsed = new ParsedStacks();
  const changed = changedStacks(files, parsed);
  for (const name of contextOf(changed, files, parsed)) {
    parsed.parse("base", files.base.get(name));
    parsed.parse("head", files.head.get(name));
  }
  // Runbook pages only of the stacks read: a page's digest is in its stack's JSON, so equal bytes mean equal pages.
  const runbooks = (side: "base" | "head") => Object.fromEntries([...parsed[side]].map(([name, json]) => [name, readRunbooks(files[side].get(name)!, json)]));
  return {
    base: synthOutputFrom(Object.fromEntries(parsed.base), runbooks("base")),
    head: synthOutputFrom(Object.fromEntries(parsed.head), runbooks("head")),
    scope: { baseStacks: [...files.base.keys()].sort(byString), headStacks: [...files.head.keys()].sort(byString), changed },
  };
}

interface Sides<T> {
  readonly base: T;
  readonly head: T;
}

/** The stacks parsed so far on each side; each file is parsed at most once. */
class ParsedStacks implements Sides<Map<string, Json>> {
  readonly base = new Map<string, Json>();
  readonly head = new Map<string, Json>();

  parse(side: "base" | "head", f: StackFile | undefined, text?: string): void {
    if (!f || this[side].has(f.name)) return;
    this[side].set(f.name, parseStack(f, text ?? readFileSync(f.path, "utf8")));
  }
}

/** Stacks added, removed or changed by JSON content, sorted; leaves only those (and nothing equal) parsed. */
function changedStacks(files: Sides<Map<string, StackFile>>, parsed: ParsedStacks): string[] {
  const changed: string[] = [];
  for (const name of [...new Set([...files.base.keys(), ...files.head.keys()])].sort(byString)) {
    const b = files.base.get(name);
    const h = files.head.get(name);
    if (!b || !h) {
      parsed.parse("base", b);
      parsed.parse("head", h);
      changed.push(name);
      continue;
    }
    const bb = readFileSync(b.path);
    const hb = readFileSync(h.path);
    if (bb.equals(hb)) continue;
    parsed.parse("base", b, bb.toString("utf8"));
    parsed.parse("head", h, hb.toString("utf8"));
    if (canonical(parsed.base.get(name)) === canonical(parsed.head.get(name))) {
      parsed.base.delete(name);
      parsed.head.delete(name);
      continue;
    }
    changed.push(name);
  }
  return changed;
}

/** The stacks the changes are read in, found from the changed stacks' names and contents. */
function contextOf(changed: readonly string[], files: Sides<Map<string, StackFile>>, parsed: ParsedStacks): Set<string> {
  const context = new Set<string>();
  const environments = new Set<string>();
  for (const name of changed) {
    context.add(siblingOf(name));
    for (const side of [parsed.base, parsed.head]) {
      const json = side.get(name);
      if (!json) continue;
      upstreamOf(json).forEach((u) => context.add(u));
      const env = synthOutputFrom({ [name]: json }).stacks[0].environment;
      environments.add(env);
    }
  }
  for (const env of environments) {
    context.add(stackId(env, PLATFORM_STACK_PART));
    const routing = stackId(env, GRAFANA_STACK_PART);
    context.add(routing);
    if (changed.includes(routing))
      for (const name of [...files.base.keys(), ...files.head.keys()]) if (name.startsWith(stackId(env, ""))) context.add(name);
  }
  return context;
}
