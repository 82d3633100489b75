/**
 * Alert annotations are Go templates (Prometheus and Grafana expand `{{ ... }}` when an alert
 * fires). Text from a description that lands in one (an SLO's description) must print as written:
 * its `{{` becomes an action that prints `{{`, so `{{ .Labels }}` or `{{ template "x" }}` written
 * by a stranger is never run.
 */
export function templateLiteral(text: string): string {
  return text.includes("{{") ? text.split("{{").join('{{ "{{" }}') : text;
}
