/**
 * Notification text: the summary first, then the runbook and dashboard links, then details, so a
 * responder on a phone sees what to do before what happened. One template body serves
 * Alertmanager and Grafana (both use Go templates over the same alert data).
 */
export const MESSAGE_TEMPLATE_NAME = "mlobs";

/** Notification title (Go text/template over the notification's alerts). */
export const MESSAGE_TITLE = `[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.severity }} {{ .CommonLabels.service }}: {{ .CommonAnnotations.summary }}`;

/** Notification body: per alert, summary, runbook, dashboard, description, labels. */
export const MESSAGE_TEXT = [
  `{{ range .Alerts }}{{ .Annotations.summary }}`,
  `Runbook: {{ .Annotations.runbook_url }}`,
  `Dashboard: {{ .Annotations.dashboard_url }}`,
  `{{ .Annotations.description }}`,
  `Labels: service={{ .Labels.service }} team={{ .Labels.team }} severity={{ .Labels.severity }}{{ if .Labels.slo }} slo={{ .Labels.slo }}{{ end }}`,
  `{{ end }}`,
].join("\n");

/** The template definitions (Go text/template), shared by Alertmanager and Grafana. */
export function messageTemplateBody(): string {
  return [
    `{{ define "${MESSAGE_TEMPLATE_NAME}.title" }}${MESSAGE_TITLE}{{ end }}`,
    `{{ define "${MESSAGE_TEMPLATE_NAME}.text" }}${MESSAGE_TEXT}{{ end }}`,
  ].join("\n");
}

/** The Alertmanager template file content. */
export function alertmanagerTemplate(): string {
  return `${messageTemplateBody()}\n`;
}
