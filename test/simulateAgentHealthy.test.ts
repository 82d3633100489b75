/**
 * `mlobs simulate`'s healthy month of an agent stays inside the limits its description declares:
 * rollbacks far under `agent.maxRollbacksPerHour`, tool calls within `agent.toolCallsPerHourBudget`.
 * A healthy month that drew them at fixed rates ticketed hundreds of times and blamed the rules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { serviceRuleGroups } from "../alerts";
import { REPLAY_ENVIRONMENT } from "../replay/promtoolScenario";
import { scenariosFor } from "../replay/simulate/family";
import { outcomeOf } from "../replay/simulate/outcome";
import { simulate } from "../replay/simulate/run";
import { normalizeService } from "../service/normalize";
import { promtoolMissing } from "./support/promtool";

const skip = promtoolMissing();
(skip ? it.skip : it)(
  "an agent with a 2-an-hour rollback limit and a 5,000-call hourly budget gets no ticket from either in its healthy month",
  async () => {
    const d = parse(readFileSync(join(__dirname, "fixtures/agent-ops.yaml"), "utf8"));
    d.agent = { ...d.agent, maxRollbacksPerHour: 2, toolCallsPerHourBudget: 5000 };
    const agent = normalizeService(d);
    const groups = serviceRuleGroups(agent, { environment: REPLAY_ENVIRONMENT });
    const [run] = await simulate(agent, groups, scenariosFor(agent, ["healthy-month"]).scenarios);
    const outcome = outcomeOf(agent, run);
    const limits = outcome.alerts.filter((a) => /RolledBack|ToolSpend/.test(a.alert));
    expect(limits.map((a) => `${a.alert} ×${a.windows.length} ${JSON.stringify(a.windows)}`)).toEqual([]);
    expect(outcome.perMonth?.pages).toBe(0);
  },
  600_000,
);
