{{/* The chart's name. */}}
{{- define "hydra.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* `<release>-hydra`, or the release name alone when it already says hydra. */}}
{{- define "hydra.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
The services, in one place: values key, port and its variable, whether it may get a GPU.
Returned as YAML (`fromYaml` it): templates cannot return lists.
*/}}
{{- define "hydra.services" -}}
ingest: {key: ingest, port: 3001, portVariable: INGEST_PORT, gpu: false}
classifier: {key: classifier, port: 3002, portVariable: CLASSIFIER_PORT, gpu: true}
explainer: {key: explainer, port: 3003, portVariable: EXPLAINER_PORT, gpu: true}
trainer: {key: trainer, port: 3004, portVariable: TRAINER_PORT, gpu: true}
labeler-api: {key: labelerApi, port: 3000, portVariable: LABELER_API_PORT, gpu: false}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "hydra.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "hydra.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hydra
{{- with .Values.hall }}
hydra/hall: {{ . }}
{{- end }}
{{- end }}

{{/* What selects this release's Hydra pods (the bundled servers' pods are not among them). */}}
{{- define "hydra.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hydra.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component; context: dict "root" $ "component" name. */}}
{{- define "hydra.componentLabels" -}}
{{ include "hydra.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "hydra.componentSelectorLabels" -}}
{{ include "hydra.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* A component's image; context: dict "root" $ "component" name "gpu" bool. */}}
{{- define "hydra.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- if and .gpu .root.Values.gpu.enabled }}
{{- $tag = printf "%s%s" $tag .root.Values.image.gpuTagSuffix }}
{{- end }}
{{- printf "%s/%s:%s" .root.Values.image.repository .component $tag }}
{{- end }}

{{- define "hydra.natsUrl" -}}
{{- if .Values.nats.enabled }}
{{- printf "nats://%s-nats:4222" .Release.Name }}
{{- else }}
{{- required "messaging.url is required unless nats.enabled" .Values.messaging.url }}
{{- end }}
{{- end }}

{{- define "hydra.s3Endpoint" -}}
{{- if .Values.minio.enabled }}
{{- printf "http://%s-minio:9000" .Release.Name }}
{{- else }}
{{- required "objectStore.endpoint is required unless minio.enabled" .Values.objectStore.endpoint }}
{{- end }}
{{- end }}

{{- define "hydra.internalTokenSecret" -}}
{{- .Values.internalApiToken.existingSecret | default (printf "%s-internal" (include "hydra.fullname" .)) }}
{{- end }}

{{/*
DATABASE_URL (and, for the bundled server, the password it is made from: Kubernetes expands
$(HYDRA_DATABASE_PASSWORD) from the variable defined before it). Used by the services and the
migration Job.
*/}}
{{- define "hydra.databaseEnv" -}}
{{- if .Values.postgresql.enabled }}
- name: HYDRA_DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.auth.existingSecret | default (printf "%s-postgresql" .Release.Name) }}
      key: password
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(HYDRA_DATABASE_PASSWORD)@%s-postgresql:5432/%s" .Values.postgresql.auth.username .Release.Name .Values.postgresql.auth.database | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "database.existingSecret is required unless postgresql.enabled" .Values.database.existingSecret }}
      key: {{ .Values.database.urlKey }}
{{- end }}
{{- with .Values.database.tls }}
{{- with .mode }}
- name: DATABASE_SSL_MODE
  value: {{ . | quote }}
{{- end }}
{{- range $variable, $key := dict "DATABASE_SSL_CA_FILE" .caKey "DATABASE_SSL_CERT_FILE" .certKey "DATABASE_SSL_KEY_FILE" .keyKey }}
{{- if $key }}
- name: {{ $variable }}
  value: {{ printf "/etc/hydra/database-tls/%s" $key | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Secrets mounted as files (read-only, readable by the pod's group only): NATS credentials and TLS
for the services (`nats: true`), PostgreSQL TLS for the services and the migration Job.
*/}}
{{- define "hydra.secretFileVolumes" -}}
{{- $values := .root.Values }}
{{- if .nats }}
{{- with $values.messaging.auth }}
{{- if and .existingSecret (or .credsKey .nkeySeedKey) }}
- name: nats-auth
  secret:
    secretName: {{ .existingSecret }}
    defaultMode: 288 # 0440
{{- end }}
{{- end }}
{{- with $values.messaging.tls.existingSecret }}
- name: nats-tls
  secret:
    secretName: {{ . }}
    defaultMode: 288 # 0440
{{- end }}
{{- end }}
{{- with $values.database.tls.existingSecret }}
- name: database-tls
  secret:
    secretName: {{ . }}
    defaultMode: 288 # 0440
{{- end }}
{{- end }}

{{- define "hydra.secretFileMounts" -}}
{{- range include "hydra.secretFileVolumes" . | fromYamlArray }}
- name: {{ .name }}
  mountPath: /etc/hydra/{{ .name }}
  readOnly: true
{{- end }}
{{- end }}

{{/* S3 keys from the external store's Secret or the bundled MinIO's root credentials. */}}
{{- define "hydra.objectStoreEnv" -}}
{{- if .Values.minio.enabled }}
{{- $secret := .Values.minio.existingSecret | default (printf "%s-minio" .Release.Name) }}
- name: S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: rootUser
- name: S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: rootPassword
{{- else }}
{{- $secret := required "objectStore.existingSecret is required unless minio.enabled" .Values.objectStore.existingSecret }}
- name: S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.objectStore.accessKeyKey }}
- name: S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.objectStore.secretKeyKey }}
{{- end }}
{{- end }}

{{/* The pod-level security context every Hydra pod runs with (the image's user 10001). */}}
{{- define "hydra.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "hydra.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}
