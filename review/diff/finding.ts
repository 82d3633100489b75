/** What every review finding about one resource states: where it is, what changed and what it means. */
export interface ResourceFinding {
  readonly environment: string;
  /** Service name, or `platform` / `grafana` for environment-wide resources. */
  readonly service: string;
  /** What it is in words: `log group /observability/prod/rag-assistant/errors (errors tier)`. */
  readonly resource: string;
  /** `<stack>: <type>.<name>`. */
  readonly address: string;
  /** What changed, in words. */
  readonly change: string;
  /** What it means. */
  readonly consequence: string;
  /** Attributes the finding covers (so other tables, such as "other resources", do not repeat them). */
  readonly attributes: readonly string[];
}
