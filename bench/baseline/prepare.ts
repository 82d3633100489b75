/**
 * The baseline's description made ready to build, in the benchmark's unmeasured time: nothing
 * here loads cdktf (the child times loading it as part of what a program costs).
 */
import type { ProgramDescription, Template } from "./describe";

/** A place in a config where a reference goes: `holder[key]` becomes the template's text. */
export interface Patch {
  readonly holder: Record<string | number, unknown>;
  readonly key: string | number;
  readonly template: Template;
}

/**
 * A description made ready to build: each config is the description's own object (its literals
 * as a program's object literals would be), with the places references go listed, so building
 * does what a hand-written program does: read attributes of built objects and construct.
 */
export interface PreparedProgram {
  readonly program: ProgramDescription;
  /** Per stack, per block, the places references go. */
  readonly patches: readonly (readonly (readonly Patch[])[])[];
  /** Per stack, per provider configuration, the places references go. */
  readonly providerPatches: readonly (readonly (readonly Patch[])[])[];
}

/** Lists where the references go (outside the measured time: it walks the whole description). */
export function prepareBaseline(program: ProgramDescription): PreparedProgram {
  const sites = (config: unknown): Patch[] => {
    const out: Patch[] = [];
    const walk = (holder: Record<string | number, unknown>) => {
      for (const key of Object.keys(holder)) {
        const v = holder[key];
        if (v === null || typeof v !== "object") continue;
        if ("$template" in v) out.push({ holder, key: Array.isArray(holder) ? Number(key) : key, template: v as Template });
        else walk(v as Record<string, unknown>);
      }
    };
    walk(config as Record<string, unknown>);
    return out;
  };
  return {
    program,
    patches: program.stacks.map((st) => st.blocks.map((b) => sites(b.config))),
    providerPatches: program.stacks.map((st) => st.providers.map((p) => sites(p.config))),
  };
}
