/**
 * Notification text: the summary first, then the runbook and dashboard links, then details, so a
 * responder on a phone sees what to do before what happened. One template body serves
 * Alertmanager and Grafana (both use Go templates over the same alert data).
 */
export const MESSAGE_TEMPLATE_NAME = "mlobs";

/** The template definitions (Go text/template), shared by Alertmanager and Grafana. */
export function messageTemplateBody(): string {
  return [
    `{{ define "${MESSAGE_TEMPLATE_NAME}.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.severity }} {{ .CommonLabels.service }}: {{ .CommonAnnotations.summary }}{{ end }}`,
    `{{ define "${MESSAGE_TEMPLATE_NAME}.text" }}{{ range .Alerts }}{{ .Annotations.summary }}`,
    `Runbook: {{ .Annotations.runbook_url }}`,
    `Dashboard: {{ .Annotations.dashboard_url }}`,
    `{{ .Annotations.description }}`,
    `Labels: service={{ .Labels.service }} team={{ .Labels.team }} severity={{ .Labels.severity }}{{ if .Labels.slo }} slo={{ .Labels.slo }}{{ end }}`,
    `{{ end }}{{ end }}`,
  ].join("\n");
}

/** The Alertmanager template file content. */
export function alertmanagerTemplate(): string {
  return `${messageTemplateBody()}\n`;
}
