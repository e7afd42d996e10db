{{/* The chart name, or nameOverride. */}}
{{- define "llm-monitor.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: fullnameOverride, else the release name, with the chart name appended unless it contains it. */}}
{{- define "llm-monitor.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "llm-monitor.selectorLabels" -}}
app.kubernetes.io/name: {{ include "llm-monitor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "llm-monitor.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "llm-monitor.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "llm-monitor.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "llm-monitor.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "llm-monitor.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Name of the leader election Lease, one per release. */}}
{{- define "llm-monitor.leaseName" -}}
{{- printf "%s-leader" (include "llm-monitor.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Label selector of the operator's series in Prometheus alerts: the ServiceMonitor's job is the Service name. */}}
{{- define "llm-monitor.alertSelector" -}}
{{- printf "job=%q, namespace=%q" (include "llm-monitor.fullname" .) .Release.Namespace }}
{{- end }}

{{/*
Only the calls that the operator makes, in every namespace it watches: it
lists and watches LLMMonitors and Secrets (the Secrets contain API keys),
writes status with merge patches, creates Events and patches their counts,
server-side applies the PrometheusRule generated from each monitor's
thresholds into the monitor's namespace (a PATCH, which needs create too
when the object does not exist yet), and deletes it when alerting is
disabled. test/e2e/rbac.test.ts runs the operator with exactly these rules.
*/}}
{{- define "llm-monitor.monitorRules" -}}
- apiGroups: ["llmmonitor.dev"]
  resources: ["llmmonitors"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["llmmonitor.dev"]
  resources: ["llmmonitors/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
# Drift baselines live in one ConfigMap per monitor, written with server-side apply.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "create", "patch"]
- apiGroups: ["monitoring.coreos.com"]
  resources: ["prometheusrules"]
  verbs: ["create", "patch", "delete"]
{{- end }}
