/**
 * References: how a description names a secret instead of holding it, and the problems of a
 * description string that holds one instead (found by the one detector in secrets.ts, masked).
 */
import { aKind, entropy, findSecrets, mask } from "./secrets";

/**
 * `ssm:/<name>`: an SSM Parameter Store name as AWS allows it (segments of `[A-Za-z0-9_.-]`
 * separated by `/`, at most 15 levels, at most 2048 characters, not starting with the reserved
 * `aws` or `ssm`, in any case); or `secretsmanager:<name>` (`[A-Za-z0-9/_+=.@-]`, at most 512) or
 * `secretsmanager:<full secret ARN>`. Published as the JSON Schema pattern of the reference field.
 */
export const SECRET_REFERENCE_PATTERN =
  /^(?:ssm:(?=\/.{0,2047}$)\/(?![Aa][Ww][Ss]|[Ss][Ss][Mm])[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+){0,14}|secretsmanager:(?:arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-[0-9]+:[0-9]{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512})$/;

export const SECRET_REFERENCE_HINT =
  'give a reference such as "ssm:/observability/pagerduty/key" or "secretsmanager:slack-webhook", never the secret itself';

const REFERENCE_FIX =
  'put the value in SSM Parameter Store or Secrets Manager and give its name here ("ssm:/…" or "secretsmanager:…"); then rotate it, it is in git history';
const FREE_TEXT_FIX =
  'remove it: a credential never belongs in a service description (the receiver\'s alerting.<page|ticket>.secret takes a reference, "ssm:/…" or "secretsmanager:…"); then rotate it, it is in git history';

/** A name segment that is a key rather than a name: long, random, mixed digits and letters of both cases. */
function keyLikeSegment(body: string): string | undefined {
  return body.split(/[/:]/).find((seg) => seg.length >= 20 && /[0-9]/.test(seg) && /[A-Z]/.test(seg) && /[a-z]/.test(seg) && entropy(seg) >= 4);
}

/**
 * Problems with a string of a description, masked: a credential anywhere in free text; in a
 * reference field (`reference`), also a body that is itself a key. The grammar of a reference is
 * the field's pattern (SECRET_REFERENCE_PATTERN), checked by the schema.
 */
export function secretIssues(path: string, value: string, reference = false): { path: string; message: string }[] {
  const found = findSecrets(value);
  if (found.length > 0) {
    const f = found[0];
    const what = `looks like ${aKind(f.kind)} (masked: ${f.masked})`;
    return [{ path, message: reference ? `${what}, not a reference; ${REFERENCE_FIX}` : `${what}; ${FREE_TEXT_FIX}` }];
  }
  if (reference) {
    const body = value.replace(/^(?:ssm:|secretsmanager:)/, "");
    const key = keyLikeSegment(body);
    if (key) return [{ path, message: `holds a key-like name (masked: ${mask(key)}), not a reference to one; ${REFERENCE_FIX}` }];
  }
  return [];
}
