import { SERVICE_PORT_VARIABLES } from '@hydra/service';
import { delimiter } from 'node:path';

/** The services, in the order they start: consumers before the producers that feed them. */
export const SERVICE_NAMES = ['classifier', 'explainer', 'trainer', 'labeler-api', 'ingest'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** How the parts of one `hydra up` find each other. */
export interface Topology {
  databaseUrl: string;
  /** JetStream; null: the in-process bus (one process for all services). */
  natsUrl: string | null;
  /** The local object store; null where S3_ENDPOINT is configured. */
  storageDir: string | null;
  ports: Record<ServiceName, number>;
  /** Where people open the web app and the API (labeler-api). */
  publicUrl: string;
  /** The address labeler-api listens on (`--host`); every other service listens on loopback. */
  publicHost: string;
  internalToken: string;
  adminName: string;
  adminPassword: string;
  watchDirs: string[];
  /** The built web app labeler-api serves; null: the API alone. */
  webDir: string | null;
}

export const serviceUrl = (topology: Topology, name: ServiceName) =>
  `http://127.0.0.1:${topology.ports[name]}`;

/**
 * One environment for every service (each reads its own variables): the configured one, with the
 * connections, ports and shared secrets of this run on top. Logs are JSON, so `hydra up` can show
 * warnings and errors and keep the rest in `<data>/logs`.
 */
export function serviceEnvironment(base: NodeJS.ProcessEnv, topology: Topology): NodeJS.ProcessEnv {
  const ports = Object.fromEntries(
    Object.entries(topology.ports).map(([name, port]) => [
      SERVICE_PORT_VARIABLES[name as ServiceName],
      String(port),
    ]),
  );
  const healthUrls = SERVICE_NAMES.filter((name) => name !== 'labeler-api')
    .map((name) => `${name}=${serviceUrl(topology, name)}`)
    .join(',');
  return {
    ...base,
    ...ports,
    DATABASE_URL: topology.databaseUrl,
    ...(topology.natsUrl && { NATS_URL: topology.natsUrl }),
    ...(topology.storageDir && { STORAGE_DIR: topology.storageDir }),
    PUBLIC_URL: base.PUBLIC_URL ?? topology.publicUrl,
    INTERNAL_API_TOKEN: topology.internalToken,
    HYDRA_ADMIN_USER: topology.adminName,
    HYDRA_ADMIN_PASSWORD: topology.adminPassword,
    CLASSIFIER_URL: serviceUrl(topology, 'classifier'),
    INGEST_URL: serviceUrl(topology, 'ingest'),
    EXPLAINER_URL: serviceUrl(topology, 'explainer'),
    SERVICE_HEALTH_URLS: healthUrls,
    WATCH_DIRS: topology.watchDirs.join(delimiter),
    ...(topology.webDir && { WEB_DIR: topology.webDir }),
    // The internal ports are for this machine only; labeler-api gets `--host` (services.ts).
    HOST: '127.0.0.1',
    LOG_FORMAT: 'json',
  };
}
