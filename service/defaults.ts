/** Every default of the service description, in one place, as documented on the types. */
export const DEFAULTS = {
  criticality: "tier2",
  environments: ["staging", "prod"],
  sloPeriodDays: 30,
  qualityTargetPercent: 90,
  maxHallucinationPercent: 5,
  maxNegativeFeedbackPercent: 20,
  psiThreshold: 0.2,
  driftWindow: "1h",
  driftBaselineOffset: "7d",
  maxMissingFeaturePercent: 1,
  driftMinObservations: 500,
  logs: {
    errorsRetentionDays: 90,
    standardRetentionDays: 14,
    standardSamplePercent: 10,
    auditRetentionDays: 400,
    debugRetentionDays: 3,
    maskPii: true,
    /** CloudWatch Logs managed data identifiers (names as in the data-protection policy ARNs). */
    piiIdentifiers: ["Address", "AwsSecretKey", "CreditCardNumber", "EmailAddress", "IpAddress", "Name", "PhoneNumber-US"],
  },
  tracingSlowThresholdSeconds: 2.56,
  tracingBaselinePercent: 5,
  pagingBudget: 6,
  alertRouting: "policy",
} as const;

/** Values of `alerting.routing`; the first is the default. */
export const ALERT_ROUTINGS = ["policy", "per-rule"] as const;

/**
 * Retention values CloudWatch Logs accepts; others are rejected by the API at deploy time,
 * so validation rejects them at synth time.
 */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
