/**
 * Settings a new team gets wrong in ways that used to pass quietly: each is now rejected at its
 * field path with the fix, or takes effect (see also optionsTakeEffect.test.ts, which changes every
 * field of the schema).
 */
import { normalizeService, ValidationError } from "../service/normalize";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";

const ID = { name: "svc", team: "core-ml", owner: "core-ml@example.com", kind: "custom" };
const ALERTING = emailAlerting("https://runbooks.example.com/core-ml", "oncall@example.com");

const problems = (d: unknown): string[] => {
  try {
    normalizeService(d);
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
};

describe("settings that would silently do nothing are rejected with the fix", () => {
  it("an objective written as a ratio (0.9995) is refused with the percent it probably means", () => {
    const d = minimalDescription(ID, ALERTING, { slos: [{ name: "availability", objectivePercent: 0.9995, availability: {} }] });
    expect(problems(d)).toEqual([
      "slos[0].objectivePercent: 0.9995 means 0.9995% of events may be good; objectives are percents of at least 50: did you mean 99.95?",
    ]);
    // A low percent is no ratio: multiplying it by 100 would suggest an impossible objective.
    const low = minimalDescription(ID, ALERTING, { slos: [{ name: "availability", objectivePercent: 30, availability: {} }] });
    expect(problems(low)).toEqual(["slos[0].objectivePercent: 30 means 30% of events may be good; objectives are percents of at least 50, e.g. 99.5"]);
  });

  it("a receiver field its kind ignores (a Slack channel on PagerDuty, addresses on Slack) is refused", () => {
    const d = minimalDescription(ID, {
      ...ALERTING,
      page: { type: "pagerduty", secret: "ssm:/o/pd", channel: "#oncall" },
      ticket: { type: "slack", secret: "ssm:/o/slack", channel: "#team", addresses: ["a@example.com"] },
    });
    expect(problems(d)).toEqual([
      "alerting.page.channel: is not used by a pagerduty receiver (only by slack); remove it",
      "alerting.ticket.addresses: is not used by a slack receiver (only by email); remove it",
    ]);
  });

  it("an SMTP relay on a receiver that sends no email is refused", () => {
    const relay = { smarthost: "smtp.example.com:587", from: "alertmanager@example.com" };
    const d = minimalDescription(ID, { ...ALERTING, page: { type: "pagerduty", secret: "ssm:/o/pd", smtp: relay } });
    expect(problems(d)).toEqual(["alerting.page.smtp: is not used by a pagerduty receiver (only by email); remove it"]);
  });

  it("an SMTP password without a user name (Alertmanager would send no credentials) and a port out of range are refused", () => {
    const smtp = { smarthost: "smtp.example.com:70000", from: "alertmanager@example.com", authPassword: "ssm:/observability/core-ml/smtp-password" };
    const d = minimalDescription(ID, { ...ALERTING, ticket: { type: "email", addresses: ["oncall@example.com"], smtp } });
    expect(problems(d)).toEqual([
      "alerting.ticket.smtp.smarthost: port 70000 is above 65535; use the relay's port, e.g. 587 or 465",
      "alerting.ticket.smtp.authUsername: is required with a password: Alertmanager sends no credentials without a user name",
    ]);
  });

  it("an SMTP password given as the password itself is refused, masked, never echoed", () => {
    const smtp = { smarthost: "smtp.example.com:587", from: "alertmanager@example.com", authUsername: "alertmanager", authPassword: "hunter2-Xk9pQ7vR2mZ8wL4t" };
    const d = minimalDescription(ID, { ...ALERTING, ticket: { type: "email", addresses: ["oncall@example.com"], smtp } });
    const found = problems(d);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^alerting\.ticket\.smtp\.authPassword: /);
    expect(found[0]).not.toContain("Xk9pQ7vR2mZ8wL4t");
  });
});
