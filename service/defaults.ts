/**
 * Constants of the description that other modules need by name. Defaults themselves live on the
 * schema nodes (`dflt` in service/description/); `DEFAULTS` reads them back from there.
 */
import { SERVICE_SCHEMA } from "./description/service";
import { hasDefault, nodeOf, type Node } from "./schemaDsl";

export { ALERT_ROUTINGS, DEFAULT_PAGING_BUDGET } from "./description/alerting";
export { CLOUDWATCH_RETENTION_DAYS } from "./description/logs";
export { FALLBACK_SLOW_THRESHOLD_SECONDS } from "./description/tracing";

type DefaultTree = { readonly [key: string]: unknown };

/** Every static default below an object node, nested like the description (`DEFAULTS.alerting.pagingBudget`). */
function defaultsOf(node: Node): DefaultTree {
  const inner = node.type === "declared" ? node.inner : node;
  if (inner.type === "array") return defaultsOf(inner.items);
  if (inner.type !== "object") return {};
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(inner.fields)) {
    const below = defaultsOf(nodeOf(f));
    if (Object.keys(below).length > 0) out[k] = below;
    else if (hasDefault(f)) out[k] = f.default;
  }
  return out;
}

/** Every default of the description, read from the schema. */
export const DEFAULTS: DefaultTree = defaultsOf(SERVICE_SCHEMA);
