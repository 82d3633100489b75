/**
 * The nodes of the description's schema language, and the TypeScript types they stand for.
 *
 * A section of the description is written once, as nodes (`obj`, `str`, `num`, ...). From that one
 * definition come: the validator with field paths (check.ts), the defaults (`dflt`, applied in
 * check.ts), the published JSON Schema and the field reference (jsonSchema.ts), and the types:
 * `Input<N>` is what a user writes, `Output<N>` is the same after defaults, so a field with a
 * default is optional in one and always present in the other.
 */

export interface Issue {
  /** Field path in the user's terms, e.g. `slos[1].latency.thresholdSeconds`. */
  readonly path: string;
  /** What is wrong, the value found, and how to fix it. */
  readonly message: string;
}

interface Base {
  readonly description: string;
}
export interface StringNode extends Base {
  readonly type: "string";
  readonly pattern?: RegExp;
  readonly patternHint?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** The value may be a secret pasted by mistake: never echo it in messages. */
  readonly sensitive?: boolean;
  /** The value is a regular expression Prometheus compiles (RE2 syntax, as Go's regexp reads it). */
  readonly re2?: boolean;
  /** The value is a plain https URL (see httpsUrlProblem). */
  readonly httpsUrl?: boolean;
}
export interface NumberNode extends Base {
  readonly type: "number";
  readonly integer?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  /** Exclusive bounds, for ratios such as 0 < objective < 100. */
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  /** The only values an engine downstream accepts (CloudWatch retention days); `what` names them. */
  readonly allowed?: { readonly values: readonly number[]; readonly what: string };
}
export interface BooleanNode extends Base {
  readonly type: "boolean";
}
export interface EnumNode<V extends string = string> extends Base {
  readonly type: "enum";
  readonly values: readonly V[];
}
export interface ArrayNode<I extends Node = Node> extends Base {
  readonly type: "array";
  readonly items: I;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Property of object items that must be unique across the array (e.g. `name`). */
  readonly uniqueBy?: string;
  /** Numbers must be strictly increasing (histogram bucket boundaries). */
  readonly increasing?: boolean;
}
export interface MapNode<V extends Node = Node> extends Base {
  readonly type: "map";
  readonly keyPattern: RegExp;
  readonly keyHint: string;
  readonly values: V;
  /** @default MAX_MAP_ENTRIES */
  readonly maxEntries?: number;
}
/** A field of an object: a bare node is optional without a default. */
export type FieldSpec = Node | RequiredField | DefaultedField;
export interface RequiredField<N extends Node = Node> {
  readonly node: N;
  readonly required: true;
}
export interface DefaultedField<N extends Node = Node> {
  readonly node: N;
  /** Applied when the field is absent; documented in the JSON Schema and the field reference. */
  readonly default: unknown;
}
export type Fields = Readonly<Record<string, FieldSpec>>;

/** Cross-field checks of one object, run on its well-formed part with defaults applied. */
export interface RefineContext {
  /** Reports a problem at `subPath` below the object (`slos[1].latency.stage`), or at the object. */
  issue(subPath: string, message: string): void;
  /** Whether the user wrote the field at `keys` below the object, well-formed or not. */
  given(...keys: readonly (string | number)[]): boolean;
}
export interface ObjectNode<F extends Fields = Fields> extends Base {
  readonly type: "object";
  readonly fields: F;
  /** Exactly one of these keys must be present (a tagged choice, e.g. the SLI kind of an SLO). */
  readonly oneOf?: readonly string[];
  // Method syntax on purpose: a refine written for one object shape must still fit `Node`.
  refine?(value: RefineValue<F>, ctx: RefineContext): void;
}
/** What an object's refine sees: its fields when they are known, any object otherwise. */
type RefineValue<F extends Fields> = string extends keyof F ? Readonly<Record<string, unknown>> : Loose<OutputObject<F>>;

/**
 * A node whose TypeScript type is declared rather than inferred: for sections built in a loop
 * from other data (the metric-contract overrides mirror the contract, key by key).
 */
export interface DeclaredNode<T> extends Base {
  readonly type: "declared";
  readonly inner: Node;
  /** Never set: carries `T` for `Input`/`Output`. */
  readonly typeOnly?: T;
}

export type Node =
  | StringNode
  | NumberNode
  | BooleanNode
  | EnumNode
  | ArrayNode
  | ObjectNode
  | MapNode
  | DeclaredNode<unknown>;

// ---- types ----

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type NodeOf<F> = F extends { readonly node: infer N } ? N : F;
type RequiredKeys<F> = { [K in keyof F]: F[K] extends { readonly required: true } ? K : never }[keyof F];
type PresentKeys<F> = { [K in keyof F]: F[K] extends { readonly required: true } | { readonly default: unknown } ? K : never }[keyof F];

// The guards (`Node extends I`, `string extends keyof F`) stop the recursion on the generic `Node`
// itself, which describes any value; concrete schemas always take the precise branch.
type Infer<N, Mode> = N extends DeclaredNode<infer T>
  ? T
  : N extends StringNode
    ? string
    : N extends NumberNode
      ? number
      : N extends BooleanNode
        ? boolean
        : N extends EnumNode<infer V>
          ? V
          : N extends ArrayNode<infer I>
            ? Node extends I
              ? readonly unknown[]
              : readonly Infer<I, Mode>[]
            : N extends MapNode<infer V>
              ? Node extends V
                ? Readonly<Record<string, unknown>>
                : Readonly<Record<string, Infer<V, Mode>>>
              : N extends ObjectNode<infer F>
                ? string extends keyof F
                  ? Readonly<Record<string, unknown>>
                  : Mode extends "input"
                    ? InputObject<F>
                    : OutputObject<F>
                : never;

type InputObject<F extends Fields> = Simplify<
  { readonly [K in RequiredKeys<F>]: Infer<NodeOf<F[K]>, "input"> } & {
    readonly [K in Exclude<keyof F, RequiredKeys<F>>]?: Infer<NodeOf<F[K]>, "input">;
  }
>;
type OutputObject<F extends Fields> = Simplify<
  { readonly [K in PresentKeys<F>]: Infer<NodeOf<F[K]>, "output"> } & {
    readonly [K in Exclude<keyof F, PresentKeys<F>>]?: Infer<NodeOf<F[K]>, "output">;
  }
>;

/** What a user writes for node N. */
export type Input<N> = Infer<N, "input">;
/** A valid value of node N with every default applied. */
export type Output<N> = Infer<N, "output">;
/** A value after pruning (check.ts `prune`): what is present is well-formed, anything may be missing. */
export type Loose<T> = T extends readonly (infer U)[]
  ? readonly (Loose<U> | undefined)[]
  : T extends object
    ? { readonly [K in keyof T]?: Loose<T[K]> }
    : T;

// ---- builders ----

export const str = (description: string, o: Omit<StringNode, "type" | "description"> = {}): StringNode => ({
  type: "string",
  description,
  ...o,
});
export const num = (description: string, o: Omit<NumberNode, "type" | "description"> = {}): NumberNode => ({
  type: "number",
  description,
  ...o,
});
export const bool = (description: string): BooleanNode => ({ type: "boolean", description });
export const oneOfStrings = <const V extends string>(description: string, values: readonly V[]): EnumNode<V> => ({
  type: "enum",
  description,
  values,
});
export const arr = <I extends Node>(description: string, items: I, o: Omit<ArrayNode, "type" | "description" | "items"> = {}): ArrayNode<I> => ({
  type: "array",
  description,
  items,
  ...o,
});
export const obj = <F extends Fields>(
  description: string,
  fields: F,
  o: { oneOf?: readonly (keyof F & string)[]; refine?: ObjectNode<F>["refine"] } = {},
): ObjectNode<F> => ({ type: "object", description, fields, ...o });
export const map = <V extends Node>(description: string, keyPattern: RegExp, keyHint: string, values: V, o: { maxEntries?: number } = {}): MapNode<V> => ({
  type: "map",
  description,
  keyPattern,
  keyHint,
  values,
  ...o,
});
export const declared = <T>(inner: Node): DeclaredNode<T> => ({ type: "declared", description: inner.description, inner });
/** Marks a field as required. */
export const req = <N extends Node>(node: N): RequiredField<N> => ({ node, required: true });
/** An optional field with the value it takes when absent (`dflt(obj(...), {})` materializes a section). */
export const dflt = <N extends Node>(node: N, value: Input<N>): DefaultedField<N> => ({ node, default: value });

/** The node of a field, whichever way it was written. */
export const nodeOf = (f: FieldSpec): Node => ("node" in f ? f.node : f);
export const isRequired = (f: FieldSpec): boolean => "required" in f && f.required;
export const hasDefault = (f: FieldSpec): f is DefaultedField => "default" in f;
