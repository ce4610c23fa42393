import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  chartValues,
  coalesce,
  hallNames,
  hallValues,
  K8S_DIR,
  type Manifest,
  RENDERED_DIR,
  renderedManifests,
  type Values,
} from './chart-files';
import { validateManifest } from './kubernetes-models';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are walked as plain data */

const COMPONENTS = ['ingest', 'classifier', 'explainer', 'trainer', 'labeler-api'];
const GPU_COMPONENTS = ['classifier', 'explainer', 'trainer'];
const VALUES_KEY: Record<string, string> = {
  ingest: 'ingest',
  classifier: 'classifier',
  explainer: 'explainer',
  trainer: 'trainer',
  'labeler-api': 'labelerApi',
};

/** Every variable a Hydra service reads (README "Configuration", the services' *.config.ts). */
const KNOWN_VARIABLES = new Set([
  'LOG_LEVEL', 'LOG_FORMAT', 'NATS_URL', 'NATS_STREAM', 'NATS_SUBJECT_PREFIX', 'NATS_ACK_WAIT_MS', 'NATS_MAX_DELIVER',
  'NATS_CREDS_FILE', 'NATS_NKEY_SEED_FILE', 'NATS_USER', 'NATS_TLS_CA_FILE', 'NATS_TLS_CERT_FILE', 'NATS_TLS_KEY_FILE',
  'NATS_TLS_REQUIRED', 'NATS_TLS_HANDSHAKE_FIRST',
  'S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'HYDRA_TF_BACKEND',
  'INGEST_PORT', 'WATCH_DIRS', 'INGEST_AFTER_STORE', 'INGEST_STABLE_MS', 'MAX_IMAGE_BYTES', 'MAX_IMAGE_PIXELS',
  'CLASSIFIER_PORT', 'CLASSIFIER_MAX_BATCH', 'DEFAULT_CONFIRMATION_THRESHOLD', 'SHELF_SWEEP_MS', 'ONNX_PRECISION',
  'EXPLAINER_PORT', 'EXPLAINER_CACHED_MODELS', 'EXPLAINER_NICE',
  'TRAINER_PORT', 'TRAINER_HEARTBEAT_MS', 'TRAINER_STALE_JOB_MS', 'TRAINER_THREADS',
  'LABELER_API_PORT', 'CLASSIFIER_URL', 'INGEST_URL', 'EXPLAINER_URL', 'WEB_DIR', 'SERVICE_HEALTH_URLS', 'SESSION_TTL_HOURS', 'SECURE_COOKIES',
  'LOGIN_ATTEMPTS_PER_MINUTE', 'TRUSTED_PROXY_HEADER', 'TRUSTED_PROXIES', 'TRUSTED_PROXY_DEFAULT_ROLE', 'HYDRA_ADMIN_USER',
]); // prettier-ignore

interface Hall {
  name: string;
  values: Values & Record<string, any>;
  manifests: Manifest[];
}

const halls: Hall[] = hallNames().map((name) => ({
  name,
  values: coalesce(chartValues(), hallValues(name)) as Hall['values'],
  manifests: renderedManifests(name),
}));

const ofKind = (hall: Hall, kind: string): any[] =>
  hall.manifests.filter((manifest) => manifest.kind === kind);
const component = (manifest: any): string => manifest.metadata.labels?.['app.kubernetes.io/component'];
const deploymentOf = (hall: Hall, name: string): any =>
  ofKind(hall, 'Deployment').find((deployment) => component(deployment) === name);

/** Pod specs of every workload (Deployments and the migration Job). */
function podSpecs(hall: Hall): { owner: string; spec: any }[] {
  return [...ofKind(hall, 'Deployment'), ...ofKind(hall, 'Job')].map((workload) => ({
    owner: `${workload.kind}/${workload.metadata.name}`,
    spec: workload.spec.template.spec,
  }));
}

describe.each(halls.map((hall) => [hall.name, hall] as const))('rendered manifests of %s', (_name, hall) => {
  const release = hall.name;
  const gpu = hall.values.gpu.enabled as boolean;

  it('are valid Kubernetes objects (each built with its kind’s model class and validated)', () => {
    expect(hall.manifests.length).toBeGreaterThan(0);
    for (const manifest of hall.manifests) {
      expect(() => validateManifest(manifest)).not.toThrow();
    }
  });

  it('have unique kind/name pairs, all labelled with the release', () => {
    const keys = hall.manifests.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const manifest of hall.manifests) {
      expect(manifest.metadata.labels?.['app.kubernetes.io/instance']).toBe(release);
      expect(manifest.metadata.labels?.['hydra/hall']).toBe(hall.values.hall);
    }
  });

  it('have one Deployment and one Service per service', () => {
    expect(ofKind(hall, 'Deployment').map(component).sort()).toEqual([...COMPONENTS].sort());
    expect(ofKind(hall, 'Service').map(component).sort()).toEqual([...COMPONENTS].sort());
  });

  it('run every container as non-root on a read-only root filesystem, without capabilities', () => {
    for (const { owner, spec } of podSpecs(hall)) {
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
        const context = { ...spec.securityContext, ...container.securityContext };
        const where = `${owner} ${container.name}`;
        expect([where, context.runAsNonRoot]).toEqual([where, true]);
        expect([where, context.runAsUser]).toEqual([where, 10001]);
        expect([where, container.securityContext?.readOnlyRootFilesystem]).toEqual([where, true]);
        expect([where, container.securityContext?.allowPrivilegeEscalation]).toEqual([where, false]);
        expect([where, container.securityContext?.capabilities?.drop]).toEqual([where, ['ALL']]);
        expect([where, context.seccompProfile?.type]).toEqual([where, 'RuntimeDefault']);
        // The only writable place: /tmp on an emptyDir.
        const tmp = container.volumeMounts?.find((mount: any) => mount.mountPath === '/tmp');
        expect(spec.volumes.find((volume: any) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
      }
    }
  });

  it('give every Deployment a readiness probe on /health and a liveness probe on /health/live', () => {
    for (const deployment of ofKind(hall, 'Deployment')) {
      for (const container of deployment.spec.template.spec.containers) {
        expect(container.readinessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
        expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.ports).toEqual([expect.objectContaining({ name: 'http' })]);
      }
    }
  });

  it(`put nvidia.com/gpu limits on ${gpu ? 'exactly classifier, explainer and trainer' : 'no container'}`, () => {
    const withGpu = podSpecs(hall)
      .filter(({ spec }) =>
        spec.containers.some((container: any) => container.resources?.limits?.['nvidia.com/gpu']),
      )
      .map(({ owner }) => owner)
      .sort();
    expect(withGpu).toEqual(gpu ? GPU_COMPONENTS.map((name) => `Deployment/${release}-hydra-${name}`) : []);
    for (const name of COMPONENTS) {
      const spec = deploymentOf(hall, name).spec.template.spec;
      const onGpu = gpu && GPU_COMPONENTS.includes(name);
      expect([name, spec.containers[0].image.endsWith(hall.values.image.gpuTagSuffix)]).toEqual([
        name,
        onGpu,
      ]);
      if (onGpu) {
        expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(hall.values.gpu.count);
        expect(spec.nodeSelector).toEqual(expect.objectContaining(hall.values.gpu.nodeSelector));
        expect(spec.tolerations).toEqual(expect.arrayContaining(hall.values.gpu.tolerations));
      }
    }
  });

  it('let only labeler-api accept traffic from outside the release', () => {
    const policies = ofKind(hall, 'NetworkPolicy');
    expect(policies.map(component).sort()).toEqual([...COMPONENTS].sort());
    const fromInside = (peer: any): boolean =>
      (peer.podSelector?.matchLabels?.['app.kubernetes.io/instance'] === release &&
        !peer.namespaceSelector &&
        !peer.ipBlock) ||
      (peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ===
        hall.values.networkPolicy.prometheusNamespace &&
        !peer.podSelector &&
        !peer.ipBlock);
    for (const policy of policies) {
      expect(policy.spec.policyTypes).toContain('Ingress');
      const open = (policy.spec.ingress ?? []).some(
        (rule: any) => !rule.from || !rule.from.every(fromInside),
      );
      expect([component(policy), open]).toEqual([component(policy), component(policy) === 'labeler-api']);
      // Each policy selects its own component's pods.
      expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe(component(policy));
    }
  });

  it('route the web app, /api and /socket.io to labeler-api', () => {
    const [ingress] = ofKind(hall, 'Ingress');
    expect(ingress.spec.rules[0].host).toBe(hall.values.ingress.host);
    const paths = ingress.spec.rules[0].http.paths;
    expect(paths.map((path: any) => path.path).sort()).toEqual(['/', '/api', '/socket.io']);
    for (const path of paths) expect(path.backend.service.name).toBe(`${release}-hydra-labeler-api`);
  });

  it('follow the hall’s values: replicas, images, autoscaling, budgets, monitors, watched folders', () => {
    const tag = hall.values.image.tag as string;
    for (const name of COMPONENTS) {
      const values = hall.values[VALUES_KEY[name] ?? name];
      const deployment = deploymentOf(hall, name);
      const autoscaled = name === 'classifier' && values.autoscaling.enabled;
      expect([name, deployment.spec.replicas]).toEqual([name, autoscaled ? undefined : values.replicas]);
      expect(deployment.spec.template.spec.containers[0].image).toBe(
        `${hall.values.image.repository}/${name}:${tag}${gpu && GPU_COMPONENTS.includes(name) ? hall.values.image.gpuTagSuffix : ''}`,
      );
    }
    expect(ofKind(hall, 'HorizontalPodAutoscaler').length).toBe(
      hall.values.classifier.autoscaling.enabled ? 1 : 0,
    );
    expect(ofKind(hall, 'PodDisruptionBudget').length).toBe(hall.values.podDisruptionBudget.enabled ? 5 : 0);
    expect(ofKind(hall, 'ServiceMonitor').length).toBe(hall.values.metrics.serviceMonitor.enabled ? 1 : 0);
    const ingestConfig = ofKind(hall, 'ConfigMap').find(
      (map) => map.metadata.name === `${release}-hydra-ingest`,
    );
    expect(ingestConfig.data.WATCH_DIRS).toBe(hall.values.ingest.watch.dirs.join(':'));
    // The trainer's threads follow the hall and never outnumber the cores its pod asks for.
    const trainerConfig = ofKind(hall, 'ConfigMap').find(
      (map) => map.metadata.name === `${release}-hydra-trainer`,
    );
    expect(trainerConfig.data.TRAINER_THREADS).toBe(String(hall.values.trainer.threads));
    expect(hall.values.trainer.threads).toBeLessThanOrEqual(
      Number(hall.values.trainer.resources.requests.cpu),
    );
    const mounts = deploymentOf(hall, 'ingest').spec.template.spec.containers[0].volumeMounts;
    for (const dir of hall.values.ingest.watch.dirs as string[]) {
      expect(mounts.some((mount: any) => dir.startsWith(`${mount.mountPath}/`))).toBe(true);
    }
  });

  it('set only variables Hydra reads, from ConfigMaps and Secrets that the release or the hall provides', () => {
    const configMaps = new Set(ofKind(hall, 'ConfigMap').map((map) => map.metadata.name));
    for (const map of ofKind(hall, 'ConfigMap')) {
      for (const variable of Object.keys(map.data))
        expect([map.metadata.name, variable, KNOWN_VARIABLES.has(variable)]).toEqual([
          map.metadata.name,
          variable,
          true,
        ]);
    }
    for (const { spec } of podSpecs(hall)) {
      for (const container of spec.containers) {
        for (const source of container.envFrom ?? [])
          expect(configMaps.has(source.configMapRef.name)).toBe(true);
        const names = (container.env ?? []).map((variable: any) => variable.name);
        expect(names).toContain('DATABASE_URL');
        expect(new Set(names).size).toBe(names.length);
      }
    }
    const internalToken = (name: string) =>
      deploymentOf(hall, name).spec.template.spec.containers[0].env.find(
        (variable: any) => variable.name === 'INTERNAL_API_TOKEN',
      );
    // labeler-api forwards alarm actions to the classifier and pushed images to ingest with the
    // shared token; nobody else gets it.
    expect(internalToken('labeler-api')).toBeDefined();
    for (const name of ['classifier', 'ingest'])
      expect(internalToken(name)?.valueFrom).toEqual(internalToken('labeler-api')?.valueFrom);
    for (const name of ['explainer', 'trainer']) expect(internalToken(name)).toBeUndefined();
  });

  it('select each Deployment’s pods with its Service, and scrape them', () => {
    for (const service of ofKind(hall, 'Service')) {
      const deployment = deploymentOf(hall, component(service));
      expect(deployment.spec.template.metadata.labels).toEqual(
        expect.objectContaining(service.spec.selector),
      );
      expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
      expect(service.spec.ports[0].targetPort).toBe('http');
      const port = deployment.spec.template.spec.containers[0].ports[0].containerPort;
      expect(service.spec.ports[0].port).toBe(port);
      expect(deployment.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(port));
    }
  });

  it('migrate the database in a Helm hook before the new pods start (after install when PostgreSQL is bundled)', () => {
    const [job] = ofKind(hall, 'Job');
    expect(job.metadata.annotations['helm.sh/hook']).toBe(
      hall.values.postgresql.enabled ? 'post-install,pre-upgrade' : 'pre-install,pre-upgrade',
    );
    expect(job.spec.template.spec.containers[0].command).toEqual(['node', 'cli/dist/main.js', 'migrate']);
    // A pre-install hook runs before the release's ConfigMaps exist.
    expect(job.spec.template.spec.containers[0].envFrom).toBeUndefined();
  });
});

describe('deploy/k8s/rendered', () => {
  it('has one file per values-hall-*.yaml and no other', () => {
    const rendered = readdirSync(RENDERED_DIR)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => file.replace(/\.yaml$/, ''))
      .sort();
    expect(rendered).toEqual(hallNames());
  });

  const helm = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
  const helmAvailable = helm.status === 0;
  // Where helm is installed (and the bundled charts can be fetched), the committed files must be what it renders.
  (helmAvailable ? it : it.skip)('matches `helm template` (deploy/k8s/render.sh --check)', () => {
    expect(existsSync(join(K8S_DIR, 'render.sh'))).toBe(true);
    expect(() =>
      execFileSync('bash', [join(K8S_DIR, 'render.sh'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
