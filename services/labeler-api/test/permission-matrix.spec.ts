import { randomUUID } from 'node:crypto';
import { roleAtLeast, userRole, type UserRole } from '@hydra/contracts';
import { Model, TrainingJob } from '@hydra/db';
import { type RouteEntry, routeCatalogue } from '../src/api-docs/route-catalogue';
import { API_PREFIX, UNPREFIXED } from '../src/labeler-api.app';
import { type ApiClient, type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

const PLOT = 'MATRIX_plot';
const ALL = { canLabel: true, canTrain: true, canPromote: true };
let api: LabelerApiHarness;
let routes: RouteEntry[];
/** Path parameters that name things that exist, so a plot-type check is reached rather than a 404. */
const ids: Record<string, string> = {};

/**
 * Bodies that pass validation, for the routes whose service checks a plot-type permission after
 * validating (a 400 would hide a missing check). Any other body is `{}`.
 */
const VALID_BODIES: Record<string, (image: string) => unknown> = {
  'POST /api/plot-types/:plotType/labels': (image) => ({
    batchId: randomUUID(),
    items: [{ imageId: image, label: 'Good' }],
  }),
  'PUT /api/models/:id/thresholds/:label': () => ({ threshold: 0.7, reason: 'matrix' }),
};

function pathOf(route: RouteEntry): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    if (name === 'plotType') return PLOT;
    if (name === 'label') return 'Good';
    if (name === 'action') return 'acknowledge';
    return ids[route.path.includes('training-jobs') ? 'job' : 'model'] as string;
  });
}

function call(client: ApiClient, route: RouteEntry) {
  const body = VALID_BODIES[`${route.method} ${route.path}`]?.(ids.image as string) ?? {};
  return client.request(
    route.method,
    pathOf(route),
    ['GET', 'DELETE'].includes(route.method) ? undefined : body,
  );
}

beforeAll(async () => {
  api = await startLabelerApi();
  await api.plotTypes(PLOT);
  routes = routeCatalogue(api.app, API_PREFIX, UNPREFIXED);
  const model = await api.bed.db.getRepository(Model).save({
    plotType: PLOT,
    architecture: 'hydra-cnn',
    status: 'rejected',
    labels: ['Good', 'Bad'],
    inputShape: [1, 48, 64, 1],
    artifactPrefix: `models/${PLOT}/matrix/`,
    trainedBy: 'matrix',
  });
  const job = await api.bed.db.getRepository(TrainingJob).save({
    id: randomUUID(),
    plotType: PLOT,
    requestedBy: 'matrix',
    options: {},
    status: 'succeeded',
  });
  Object.assign(ids, { model: model.id, job: job.id, image: randomUUID() });
});
afterAll(() => api.stop());

describe('the permission matrix, from the routes’ own metadata', () => {
  it('finds the routes, and every one of them declares who may call it', () => {
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter(
      (route) => route.access === null && !UNPREFIXED.includes(route.path.slice(1)),
    );
    expect(undeclared.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });

  it('answers 401 to an anonymous caller on every non-public route', async () => {
    const closed = routes.filter((route) => route.access !== 'public');
    const statuses = await Promise.all(
      closed.map(async (route) => [
        `${route.method} ${route.path}`,
        (await call(api.anonymous, route)).status,
      ]),
    );
    expect(statuses.filter(([, status]) => status !== 401)).toEqual([]);
  });

  it.each(userRole.options)(
    'lets a %s through exactly the routes of its role, and only with the plot-type permission',
    async (role: UserRole) => {
      const granted = await api.client(role, [{ plotType: PLOT, ...ALL }]);
      const ungranted = await api.client(role);
      const wrong: string[] = [];
      for (const route of routes) {
        if (route.access === 'public' || route.access === null) continue;
        const name = `${route.method} ${route.path}`;
        const allowed = roleAtLeast(role, route.access.role);
        const withGrant = (await call(granted, route)).status;
        if (allowed !== ![401, 403].includes(withGrant)) wrong.push(`${name} with grant → ${withGrant}`);
        if (!route.access.plotPermission) continue;
        const withoutGrant = (await call(ungranted, route)).status;
        const expected = allowed && role !== 'admin' ? 403 : allowed ? 'not 401/403' : 403;
        if (expected === 403 ? withoutGrant !== 403 : [401, 403].includes(withoutGrant))
          wrong.push(`${name} without grant → ${withoutGrant}`);
      }
      expect(wrong).toEqual([]);
    },
  );
});
