/** The `logs` section: the CloudWatch tiers, their retention and PII masking. */
import { arr, bool, dflt, num, obj, str, type Output } from "../schemaDsl";
import { percent } from "./common";

/**
 * Retention values CloudWatch Logs accepts; others are rejected by the API at deploy time,
 * so validation rejects them at synth time.
 */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const retentionDays = (days: number) =>
  dflt(num("Days CloudWatch keeps the events.", { integer: true, minimum: 1, allowed: { values: CLOUDWATCH_RETENTION_DAYS, what: "a retention CloudWatch Logs accepts" } }), days);
const keepContent = dflt(
  bool("Keep prompt and answer bodies (gen_ai.input.messages, gen_ai.output.messages) as written in this tier; otherwise the collector replaces them with their SHA-256."),
  false,
);
const tier = (what: string, days: number) => dflt(obj(what, { retentionDays: retentionDays(days), keepContent }), {});

export const LOGS_SCHEMA = obj(
  "CloudWatch log tiers.",
  {
    errors: tier("Error tier, kept whole.", 90),
    standard: dflt(
      obj("Sampled request tier.", {
        retentionDays: retentionDays(14),
        samplePercent: dflt(percent("Share of traces whose INFO and WARN records this tier keeps, percent; records of slow requests are always kept."), 10),
        keepContent,
      }),
      {},
    ),
    audit: tier("Audit tier, protected from deletion.", 400),
    debug: dflt(
      obj("Debug tier.", {
        retentionDays: retentionDays(3),
        keepContent,
        enabled: dflt(bool("Route TRACE and DEBUG records to the debug tier; off, the collector drops them."), false),
      }),
      {},
    ),
    maskPii: dflt(bool("Mask PII in every tier with a CloudWatch data-protection policy."), true),
    piiIdentifiers: dflt(
      arr(
        "CloudWatch managed data identifiers to mask (names as in the data-protection policy ARNs).",
        str("Identifier name, e.g. EmailAddress.", { pattern: /^[A-Za-z0-9-]+$/, patternHint: "use a managed data identifier name such as EmailAddress" }),
        { minItems: 1 },
      ),
      ["Address", "AwsSecretKey", "CreditCardNumber", "EmailAddress", "IpAddress", "Name", "PhoneNumber-US"],
    ),
  },
  {
    refine(logs, ctx) {
      const audit = logs.audit?.retentionDays;
      const errors = logs.errors?.retentionDays;
      if (audit !== undefined && errors !== undefined && audit < errors)
        ctx.issue("audit.retentionDays", `${audit} is shorter than the errors tier (${errors}); keep the audit trail at least as long`);
    },
  },
);

/** Logs as constructs read them: identifiers sorted, so the policy does not change with their order. */
export function buildLogs(l: Output<typeof LOGS_SCHEMA>) {
  return { ...l, piiIdentifiers: [...l.piiIdentifiers].sort() };
}
