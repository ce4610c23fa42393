import { createServer } from 'node:net';

/** The services, by the name their folder under `services/` has. */
export type ServiceName = 'ingest' | 'classifier' | 'explainer' | 'trainer' | 'labeler-api';

/** The variable each service reads its port from. */
export const SERVICE_PORT_VARIABLES: Record<ServiceName, string> = {
  ingest: 'INGEST_PORT',
  classifier: 'CLASSIFIER_PORT',
  explainer: 'EXPLAINER_PORT',
  trainer: 'TRAINER_PORT',
  'labeler-api': 'LABELER_API_PORT',
};

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
