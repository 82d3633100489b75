/**
 * Shared by the secret tests (test/secrets*.test.ts): fake credentials built from pieces, so that
 * no scanner mistakes the tests for a leak.
 */

export type Json = Record<string, any>;

/** Fake credentials: realistic shape, never real; `tail` is what must never be printed. */
export const FAKE = {
  awsKeyId: "AKIA" + "IOSFODNN7EXAMPLE",
  awsSecret: "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY",
  openai: "sk-proj-" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5e_Uo0Ki-Xt",
  openaiLegacy: "sk-" + "T3BlbkFJ8qZ2xLp7mVb9TnR4kWc8Hs1Dy6Fg3Ja5",
  anthropic: "sk-ant-api03-" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo0KiXtQz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo0KiXt-AA",
  huggingFace: "hf_" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo",
  google: "AIza" + "SyQz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eU",
  github: "ghp_" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo0K",
  githubPat: "github_pat_" + "11AQz7xLp2mVb9TnR4kWc8_Hs1Dy6Fg3Ja5eUo0KiXtQz7xLp2mVb9Tn",
  grafana: "glsa_" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5e_0a1b2c3d",
  grafanaCloud: "glc_" + "eyJvIjoiMTIzNDU2IiwibiI6InN0YWNrLTEiLCJrIjoiUXo3eExwMm1WYjlUblI0ayJ9",
  slackWebhook: "https://hooks.slack.com/services/" + "T0A1B2C3D/B0A1B2C3D/Qz7xLp2mVb9TnR4kWc8Hs1Dy",
  slackToken: "xoxb-" + "123456789012-1234567890123-Qz7xLp2mVb9TnR4kWc8Hs1Dy",
  pagerDuty: "e93facc04764012d" + "7bfb002500d5d1a6",
  privateKey: "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEAqz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5e\n-----END RSA " + "PRIVATE KEY-----",
  queryToken: "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo0K",
};
export const tail = (s: string) => s.slice(-10);
