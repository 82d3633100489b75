/**
 * Names of the serving and agent signals that generated recording rules keep in Prometheus
 * (alerts/signals/serving.ts, agent.ts), and their alert name parts and panel keys: the one module
 * those generators and the operational dashboard's Serving and Agent rows share. Naming follows
 * signalNames.ts (`level:metric:operation`).
 */

/** Windows of the serving rules: 5m for panels, 1h for tickets (from the raw series at every evaluation). */
export const SERVING_WINDOWS = ["5m", "1h"] as const;

export const SERVING_RULE = {
  /** P95 time requests waited for a worker, seconds. Labels: service. */
  queueTimeP95: (window: string) => `service:queue_time_seconds:p95_rate${window}`,
  /** Share of requests that waited longer than `serving.maxQueueSeconds`. Labels: service. */
  queueTimeOverLimit: (window: string) => `service:queue_time_over_limit:ratio_rate${window}`,
  /** P95 time per output token of streamed answers (inter-token latency), seconds. Labels: service. */
  interTokenP95: (window: string) => `service:time_per_output_token_seconds:p95_rate${window}`,
  /** Share of streamed answers slower than `serving.maxInterTokenSeconds` per output token. Labels: service. */
  interTokenOverLimit: (window: string) => `service:time_per_output_token_over_limit:ratio_rate${window}`,
  /** Output tokens per second, all models. Labels: service. */
  outputTokens: "service:gen_ai_output_tokens:rate5m",
  /** Cancelled requests per served request. Labels: service. */
  cancelled: (window: string) => `service:requests_cancelled:ratio_rate${window}`,
} as const;

/** Alert name parts after the service name. */
export const SERVING_ALERT = {
  queueTime: ["queue-time-high"],
  interToken: ["inter-token-latency-high"],
  cancellations: ["cancellations-high"],
} as const;

/** Panel keys of the operational dashboard's Serving row (the serving tickets link to them). */
export const SERVING_PANEL = {
  queueTime: "serving:queue-time",
  interToken: "serving:inter-token",
  outputTokens: "serving:output-tokens",
  cancellations: "serving:cancellations",
} as const;

// ---- agent signals (kind agent; alerts/signals/agent.ts) ----

/** Label keys of agent series besides `service`. */
export const AGENT_LABEL = {
  /** The tool called (`gen_ai.tool.name`). */
  tool: "tool",
  /** success, error or denied. */
  outcome: "outcome",
  /** On the loop and tool-spend tickets: which of their two conditions holds (values in AGENT_REASON). */
  reason: "reason",
} as const;

/** Values of the `reason` label of the loop and tool-spend tickets. */
export const AGENT_REASON = {
  stepsP95: "steps-p95",
  stepCap: "step-cap",
  perTask: "per-task",
  perHour: "per-hour",
} as const;

/** Window of the agent tickets' ratios, from the raw series at every evaluation. */
export const AGENT_WINDOW = "1h";

export const AGENT_RULE = {
  /** Tool calls per second. Labels: service, tool, outcome. */
  toolCalls: "service_tool_outcome:tool_calls:rate5m",
  /** Share of tool calls ending in error, all tools. Labels: service. */
  toolErrors: (window: string) => `service:tool_errors:ratio_rate${window}`,
  /** Tool calls per task. Labels: service. */
  toolCallsPerTask: (window: string) => `service:tool_calls_per_task:ratio_rate${window}`,
  /** Tool calls per hour, all tools. Labels: service. */
  toolCallsPerHour: "service:tool_calls_per_hour:rate1h",
  /** Tool-call retries per task. Labels: service. */
  retriesPerTask: (window: string) => `service:tool_retries_per_task:ratio_rate${window}`,
  /** Approvals requested and denied per second. Labels: service. */
  approvalsRequested: "service:approvals_requested:rate5m",
  approvalsDenied: "service:approvals_denied:rate5m",
  /** Side effects rolled back in the last hour. Labels: service. */
  rollbacks: "service:rollbacks:increase1h",
  /** P95 steps per task. Labels: service. */
  stepsP95: (window: string) => `service:steps_per_task:p95_rate${window}`,
  /** Share of tasks taking more than `agent.maxStepsPerTask` steps. Labels: service. */
  stepsOverLimit: (window: string) => `service:steps_per_task_over_limit:ratio_rate${window}`,
  /** Share of tasks stopped by the step cap. Labels: service. */
  stepCapReached: (window: string) => `service:step_cap_reached:ratio_rate${window}`,
} as const;

export const AGENT_ALERT = {
  loop: ["task-loop"],
  toolSpend: ["tool-spend-runaway"],
  toolErrors: ["tool-errors-high"],
  rollbacks: ["side-effects-rolled-back"],
} as const;

/** Panel keys of the operational dashboard's Agent row (the agent tickets link to them). */
export const AGENT_PANEL = {
  toolCalls: "agent:tool-calls",
  toolErrors: "agent:tool-errors",
  retries: "agent:retries",
  approvals: "agent:approvals",
  rollbacks: "agent:rollbacks",
  steps: "agent:steps",
  toolCallsPerTask: "agent:tool-calls-per-task",
} as const;
