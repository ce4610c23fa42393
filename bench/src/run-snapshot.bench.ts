/**
 * GET /api/run (the Run dashboard's snapshot) on a database the size of a long run: plot types with
 * an image a minute each, one verdict per image, heat maps for recent Bad verdicts, alarm histories.
 * labeler-api runs in this process on its own scratch database, which is dropped at the end.
 *   npm run bench:run-snapshot -- --plot-types 50 --classifications 1000000 --requests 200
 */
import { createLabelerApiApp, labelerApiConfigFromEnv } from '@hydra/labeler-api';
import { createApiToken, startServiceTestBed } from '@hydra/testing';
import { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { summarize } from './stats';

const options = new Command('run-snapshot-bench')
  .option('--plot-types <n>', 'plot types', Number, 50)
  .option('--classifications <n>', 'classifications (one per image)', Number, 1_000_000)
  .option('--requests <n>', 'timed GET /api/run requests', Number, 200)
  .parse()
  .opts<{ plotTypes: number; classifications: number; requests: number }>();

/** Fills the tables in SQL, a plot type's images a minute apart, newest now. */
async function seed(db: DataSource, plotTypes: number, classifications: number): Promise<void> {
  const perPlotType = Math.ceil(classifications / plotTypes);
  await db.query(
    `INSERT INTO plot_type (name, group_name)
     SELECT 'Bench_' || lpad(p::text, 3, '0'), 'Group_' || (p % 5) FROM generate_series(1, $1) p`,
    [plotTypes],
  );
  await db.query(
    `INSERT INTO model (plot_type, architecture, status, labels, input_shape, artifact_prefix, trained_by)
     SELECT name, 'hydra-cnn', 'candidate', '["Good","Bad","NoData"]', '[64,64,1]',
            'models/' || name || '/bench/', 'bench'
       FROM plot_type`,
  );
  await db.query(`UPDATE plot_type pt SET active_model_id = m.id FROM model m WHERE m.plot_type = pt.name`);
  // Image n of a plot type was made n minutes ago and received 2 s later; run numbers change hourly.
  await db.query(
    `INSERT INTO image (plot_type, run_period, run_number, chunk, captured_at, ingested_at, sha256,
                        storage_key, size_bytes, width, height)
     SELECT pt.name, 'bench', 100000 - n / 60, n % 60, now() - n * interval '1 minute',
            now() - n * interval '1 minute' + interval '2 seconds',
            lpad(to_hex(row_number() OVER ()), 64, '0'), 'images/bench/' || pt.name || '/' || n || '.png',
            1000, 64, 64
       FROM plot_type pt CROSS JOIN generate_series(0, $1 - 1) n`,
    [perPlotType],
  );
  // One verdict per image; about one in five Bad, a tenth unconfirmed.
  await db.query(
    `INSERT INTO classification (image_id, model_id, verdict, confidence, outputs, thresholds, confirmed,
                                 latency_ms, classified_at)
     SELECT id, model_id, CASE WHEN bad THEN 'Bad' ELSE 'Good' END, CASE WHEN bad THEN 0.85 ELSE 0.9 END,
            CASE WHEN bad THEN '{"Good":0.1,"Bad":0.85,"NoData":0.05}'::jsonb
                 ELSE '{"Good":0.9,"Bad":0.05,"NoData":0.05}'::jsonb END,
            '{"Good":0.5,"Bad":0.5}', random() > 0.1, 40, ingested_at + interval '300 milliseconds'
       FROM (SELECT i.id, pt.active_model_id AS model_id, i.ingested_at, random() < 0.2 AS bad
               FROM image i JOIN plot_type pt ON pt.name = i.plot_type) drawn`,
  );
  await db.query(
    `INSERT INTO explanation (image_id, model_id, heatmap_key, compute_ms, created_at)
     SELECT c.image_id, c.model_id, 'heatmaps/' || c.image_id || '/' || c.model_id || '.png', 80,
            c.classified_at + interval '1 second'
       FROM classification c WHERE c.verdict = 'Bad' AND c.classified_at > now() - interval '1 day'`,
  );
  // Ten alarms per plot type, each raised, acknowledged and cleared.
  await db.query(
    `INSERT INTO alarm (alarm_id, plot_type, event, state, severity, since, occurred_at, by)
     SELECT a.alarm_id, a.plot_type, e.event::alarm_event, e.state::alarm_state, 'major', a.since,
            a.since + e.offset_s * interval '1 second', e.by
       FROM (SELECT gen_random_uuid() AS alarm_id, pt.name AS plot_type, now() - k * interval '1 day' AS since
               FROM plot_type pt CROSS JOIN generate_series(1, 10) k) a
      CROSS JOIN (VALUES ('raised', 'active-unacknowledged', 0, NULL),
                         ('acknowledged', 'active-acknowledged', 60, 'shifter'),
                         ('cleared', 'normal', 600, NULL)) e(event, state, offset_s, by)`,
  );
  await db.query(
    `INSERT INTO run_condition (event_id, beam_on, beam_current, by, occurred_at)
     SELECT gen_random_uuid(), k % 2 = 0, 150, 'daq', now() - k * interval '1 hour' FROM generate_series(0, 23) k`,
  );
  await db.query('ANALYZE');
}

async function timed(url: string, token: string): Promise<{ ms: number; bytes: number; plots: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/api/run`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200)
    throw new Error(`GET /api/run answered ${response.status}: ${text.slice(0, 300)}`);
  return { ms, bytes: text.length, plots: (JSON.parse(text) as { plots: unknown[] }).plots.length };
}

async function main() {
  const bed = await startServiceTestBed('run_bench');
  try {
    const seedStart = performance.now();
    await seed(bed.db, options.plotTypes, options.classifications);
    const [{ count }] = await bed.db.query(`SELECT count(*)::int AS count FROM classification`);
    console.log(
      `seeded ${count} classifications in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const config = labelerApiConfigFromEnv({
      DATABASE_URL: bed.databaseUrl,
      HYDRA_ADMIN_PASSWORD: 'bench-admin-password',
    });
    const app = await createLabelerApiApp(config, bed.connections(bed.store));
    const { url } = await bed.serve(app, 'model.promoted');
    const token = await createApiToken(bed.db, 'bench-viewer', 'viewer');

    for (let warmUp = 0; warmUp < 20; warmUp++) await timed(url, token);
    const samples = [];
    for (let request = 0; request < options.requests; request++) samples.push(await timed(url, token));
    const summary = summarize(samples.map((sample) => sample.ms));

    console.log(
      `\nGET /api/run, ${options.plotTypes} plot types, ${count} classifications, ${options.requests} sequential requests`,
    );
    console.table([
      {
        'p50 ms': summary.p50.toFixed(2),
        'p99 ms': summary.p99.toFixed(2),
        'max ms': summary.max.toFixed(2),
        plots: samples[0]?.plots,
        'reply KiB': ((samples[0]?.bytes ?? 0) / 1024).toFixed(1),
      },
    ]);
  } finally {
    await bed.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
