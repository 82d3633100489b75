/**
 * Dashboard panels follow the kind of service: a RAG pipeline, a model endpoint, and a bare
 * service with only the required fields.
 */
import { join } from "node:path";
import { COST_RULE } from "../alerts/signalNames";
import { AGENT_RULE, SERVING_RULE } from "../alerts/servingAgentNames";
import { loadServicesFile } from "../service/load";
import { dashboardQueries, serviceDashboards } from "../dashboards";
import type { ServiceModel } from "../service/model";
import { normalizeService } from "../service/normalize";
import { allPanels, ctx, fraud, headline, parse, rag } from "./support/dashboardJson";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";

describe("panels follow the kind of service", () => {
  const seriesOf = (model: ServiceModel) => serviceDashboards(model, ctx).flatMap(dashboardQueries).map((q) => q.expr).join("\n");
  const m = rag.metrics;

  it("a RAG pipeline has token, time-to-first-token and per-stage panels, and no prediction-score panel", () => {
    const all = seriesOf(rag);
    expect(all).toContain(`${m.timeToFirstToken.name}_bucket`);
    expect(all).toContain(COST_RULE.tokens);
    expect(all).toContain(COST_RULE.tokensPerRequest);
    for (const s of rag.stages) expect(all).toContain(`${m.labels.stage}="${s.name}"`);
    expect(all).not.toContain(m.predictionScore.name);
    expect(all).not.toContain("prediction_score");
    expect(parse(serviceDashboards(rag, ctx)[0]).templating.list.map((v) => v.name)).toEqual(["datasource", "model", "slice"]);
  });

  it("a model endpoint has prediction-score panels and no token, time-to-first-token, stage or model panels", () => {
    const all = seriesOf(fraud);
    expect(all).toContain(`${m.predictionScore.name}_bucket`);
    expect(all).toContain('output="prediction_score"');
    for (const absent of [m.genAiTokenUsage.name, m.timeToFirstToken.name, m.stageDuration.name, m.stageCalls.name, COST_RULE.tokens, "$model"])
      expect(all).not.toContain(absent);
    for (const f of fraud.drift.features) expect(all).toContain(`feature="${f.name}"`);
    expect(parse(serviceDashboards(fraud, ctx)[0]).templating.list.map((v) => v.name)).toEqual(["datasource"]);
  });

  it("an agent has the Agent row (tool calls, errors, retries, approvals, rollbacks, steps) and, with a serving section, the Serving row", () => {
    const agent = loadServicesFile(join(__dirname, "fixtures/agent-ops.yaml"))[0];
    const all = seriesOf(agent);
    for (const r of [AGENT_RULE.toolCalls, AGENT_RULE.retriesPerTask("5m"), AGENT_RULE.approvalsDenied, AGENT_RULE.rollbacks, AGENT_RULE.stepsP95("5m"), AGENT_RULE.toolCallsPerHour])
      expect(all).toContain(r);
    for (const r of [SERVING_RULE.queueTimeP95("5m"), SERVING_RULE.interTokenP95("5m"), SERVING_RULE.outputTokens, SERVING_RULE.cancelled("1h")]) expect(all).toContain(r);
    const rows = parse(serviceDashboards(agent, ctx)[0]).panels.filter((p) => p.type === "row").map((p) => p.title);
    expect(rows).toEqual(expect.arrayContaining(["Serving", "Agent"]));
    // The other kinds have no agent row, and a service without a serving section no serving row.
    expect(seriesOf(rag)).not.toContain(AGENT_RULE.toolCalls);
    expect(seriesOf(fraud)).not.toContain(SERVING_RULE.queueTimeP95("5m"));
  });

  it("a bare service (no stages, SLOs, scores, models or features) still gets three valid dashboards with only what it has", () => {
    const bare = normalizeService(
      minimalDescription(
        { name: "bare-gateway", team: "platform", owner: "platform@example.com", kind: "llm-gateway" },
        emailAlerting("https://runbooks.example.com/platform", "a@example.com"),
      ),
    );
    const ds = serviceDashboards(bare, ctx);
    const all = ds.flatMap(dashboardQueries).map((q) => q.expr).join("\n");
    expect(all).not.toContain(bare.metrics.stageDuration.name);
    expect(all).not.toContain("slo:");
    expect(all).not.toContain("service_feature");
    expect(all).toContain('output="response_tokens"');
    expect(all).not.toContain("$model");
    for (const d of ds) {
      const j = parse(d);
      expect(new Set(allPanels(j).map((p) => p.id)).size).toBe(allPanels(j).length);
      expect(headline(j).length).toBeGreaterThanOrEqual(1);
    }
  });
});
