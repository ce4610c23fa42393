import { Alarm, RunCondition } from '@hydra/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlarmSnapshot, RecentVerdict } from './alarm-rules';

/** The verdicts of a plot type's models ($1), "no model" aside. */
const OF_MODELS = `SELECT c.id, c.image_id, c.verdict, c.confidence, c.confirmed
                     FROM classification c JOIN image i ON i.id = c.image_id
                    WHERE i.plot_type = $1 AND c.model_id IS NOT NULL`;
const NEWEST_FIRST = 'c.classified_at DESC, i.captured_at DESC, c.id DESC';
/** The last verdict the plot type's alarm has read. */
const CURSOR = `WITH cursor AS (SELECT classified_at, captured_at, classification_id FROM alarm_cursor WHERE plot_type = $1)`;

/** The advisory lock key of plot type $1's alarm: taken exclusively to decide, shared to store verdicts. */
export const ALARM_LOCK_KEY = `hashtext('hydra.alarm.' || $1)`;

/** An alarm row without its relations. */
export type AlarmRow = Omit<Alarm, 'plotTypeRef' | 'image'>;

/** The queries behind alarms; every method runs inside the caller's transaction. */
@Injectable()
export class AlarmRepository {
  /**
   * Serialises alarm decisions per plot type across classifier replicas until the transaction ends;
   * it also waits for verdicts of the plot type being stored (see `ClassificationRepository.insert`).
   */
  async lock(manager: EntityManager, plotType: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(${ALARM_LOCK_KEY})`, [plotType]);
  }

  async latest(
    manager: EntityManager,
    plotType: string,
  ): Promise<(AlarmSnapshot & { occurredAt: Date }) | null> {
    const [latest, previous] = await manager.getRepository(Alarm).find({
      where: { plotType },
      order: { occurredAt: 'DESC' },
      select: {
        alarmId: true,
        state: true,
        severity: true,
        since: true,
        shelvedUntil: true,
        occurredAt: true,
      },
      take: 2,
    });
    if (!latest) return null;
    // Only the beam going off leads to "suppressed", so the row before it is what it returns to.
    return { ...latest, suppressedFrom: latest.state === 'suppressed' ? (previous?.state ?? null) : null };
  }

  /**
   * The newest verdicts of models (not "no model"), by when this database stored them: a sender's
   * clock (`captured_at`) only breaks ties within one batch, so a plot dated 2099 cannot stay "newest".
   */
  async recentVerdicts(manager: EntityManager, plotType: string, count: number): Promise<RecentVerdict[]> {
    return this.verdicts(manager, `${OF_MODELS} ORDER BY ${NEWEST_FIRST} LIMIT $2`, [plotType, count]);
  }

  /** Up to `count` verdicts the alarm has read, newest first: the window the unread ones continue. */
  async readVerdicts(manager: EntityManager, plotType: string, count: number): Promise<RecentVerdict[]> {
    return this.verdicts(
      manager,
      `${CURSOR} ${OF_MODELS}
          AND c.classified_at <= (SELECT classified_at FROM cursor)
          AND (c.classified_at, i.captured_at, c.id) <= (SELECT classified_at, captured_at, classification_id FROM cursor)
        ORDER BY ${NEWEST_FIRST} LIMIT $2`,
      [plotType, count],
    );
  }

  /** Up to `count` verdicts the alarm has not read yet, oldest first (all of them before its first read). */
  async unreadVerdicts(
    manager: EntityManager,
    plotType: string,
    count: number,
  ): Promise<(RecentVerdict & { id: string })[]> {
    return this.verdicts(
      manager,
      `${CURSOR} ${OF_MODELS}
          AND c.classified_at >= COALESCE((SELECT classified_at FROM cursor), '-infinity')
          AND NOT EXISTS (SELECT 1 FROM cursor
                           WHERE (c.classified_at, i.captured_at, c.id) <= (cursor.classified_at, cursor.captured_at, cursor.classification_id))
        ORDER BY c.classified_at, i.captured_at, c.id LIMIT $2`,
      [plotType, count],
    );
  }

  /** Marks every verdict up to this one (by the order above) read. */
  async advanceCursor(manager: EntityManager, classificationId: string): Promise<void> {
    await manager.query(
      `INSERT INTO alarm_cursor (plot_type, classified_at, captured_at, classification_id)
       SELECT i.plot_type, c.classified_at, i.captured_at, c.id
         FROM classification c JOIN image i ON i.id = c.image_id WHERE c.id = $1
       ON CONFLICT (plot_type) DO UPDATE SET classified_at = EXCLUDED.classified_at,
         captured_at = EXCLUDED.captured_at, classification_id = EXCLUDED.classification_id`,
      [classificationId],
    );
  }

  private async verdicts(
    manager: EntityManager,
    query: string,
    parameters: unknown[],
  ): Promise<(RecentVerdict & { id: string })[]> {
    const rows: { id: string; image_id: string; verdict: string; confidence: number; confirmed: boolean }[] =
      await manager.query(query, parameters);
    return rows.map((row) => ({
      id: row.id,
      imageId: row.image_id,
      verdict: row.verdict,
      confidence: row.confidence,
      confirmed: row.confirmed,
    }));
  }

  /** Beam on unless the DAQ said otherwise; the report received last is in force. */
  async beamOn(manager: EntityManager): Promise<boolean> {
    const latest = await manager
      .getRepository(RunCondition)
      .findOne({ where: {}, order: { occurredAt: 'DESC' }, select: { beamOn: true } });
    return latest?.beamOn ?? true;
  }

  async insert(manager: EntityManager, rows: AlarmRow[]): Promise<void> {
    if (rows.length > 0) await manager.getRepository(Alarm).insert(rows);
  }

  /** Plot types whose newest alarm row is in one of `states`. */
  async plotTypesIn(manager: EntityManager, states: string[]): Promise<string[]> {
    const rows: { plot_type: string }[] = await manager.query(
      `SELECT plot_type FROM (
         SELECT DISTINCT ON (plot_type) plot_type, state FROM alarm ORDER BY plot_type, occurred_at DESC
       ) newest WHERE state = ANY($1::alarm_state[])`,
      [states],
    );
    return rows.map((row) => row.plot_type);
  }

  /** The newest row of every plot type's alarm. */
  async current(manager: EntityManager): Promise<Alarm[]> {
    return manager
      .getRepository(Alarm)
      .createQueryBuilder('alarm')
      .distinctOn(['alarm.plot_type'])
      .orderBy('alarm.plot_type')
      .addOrderBy('alarm.occurred_at', 'DESC')
      .getMany();
  }

  /**
   * Records a run-condition report once, however often it is delivered, at the time this database
   * receives it: the sender's clock may be anywhere, and a report dated 2099 must not stay in force.
   */
  async recordCondition(
    manager: EntityManager,
    condition: Omit<RunCondition, 'id' | 'occurredAt'>,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(RunCondition)
      .values({ ...condition, occurredAt: () => 'clock_timestamp()' })
      .orIgnore()
      .execute();
  }
}
