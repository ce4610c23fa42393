import type { CliContext } from '../cli-context';
import type { DataFolder } from './data-folder';
import type { PartHealth } from './health-monitor';
import type { Topology } from './service-environment';

export interface SummaryFacts {
  seconds: number;
  data: DataFolder;
  topology: Topology;
  health: PartHealth[];
  /** Where the admin's password comes from: the variable, or the file hydra up made. */
  adminPasswordFrom: string;
  descriptions: { database: string; broker: string; store: string };
}

/** What a newcomer needs once everything is up: where to open it, how to log in, what runs where. */
export function printSummary(context: CliContext, facts: SummaryFacts): void {
  const { topology, health } = facts;
  const well = health.every((part) => part.problem === null);
  const fromVariable = facts.adminPasswordFrom === 'HYDRA_ADMIN_PASSWORD';
  const lines = [
    '',
    well
      ? `Hydra is up (${facts.seconds.toFixed(0)} s).`
      : `Hydra started in ${facts.seconds.toFixed(0)} s, but not every part is well (see below).`,
    topology.webDir
      ? `  open        ${topology.publicUrl}   (the web app; the API under /api, its docs at /api/docs)`
      : `  open        ${topology.publicUrl}/api/docs   (the API; build the web app with npm run build to get it here too)`,
    fromVariable
      ? `  log in      ${topology.adminName} with the password in HYDRA_ADMIN_PASSWORD`
      : `  log in      ${topology.adminName} / ${topology.adminPassword}   (kept in ${facts.adminPasswordFrom})`,
    `  database    ${facts.descriptions.database}`,
    `  broker      ${facts.descriptions.broker}`,
    `  objects     ${facts.descriptions.store}`,
    ...(topology.watchDirs.length ? [`  watching    ${topology.watchDirs.join(', ')}`] : []),
    `  logs        ${facts.data.path('logs')}`,
    '  health',
    ...health.map(
      (part) =>
        `    ${part.name.padEnd(12)}${part.problem === null ? 'ok' : `DOWN: ${part.problem}`}${
          part.name in topology.ports
            ? `   http://127.0.0.1:${topology.ports[part.name as keyof Topology['ports']]}/health`
            : ''
        }`,
    ),
    'Ctrl-C stops everything.',
    '',
  ];
  for (const line of lines) context.print(line);
}
