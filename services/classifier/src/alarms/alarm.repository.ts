import { Alarm, RunCondition } from '@hydra/db';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlarmSnapshot, RecentVerdict } from './alarm-rules';

/** An alarm row without its relations. */
export type AlarmRow = Omit<Alarm, 'plotTypeRef' | 'image'>;

/** The queries behind alarms; every method runs inside the caller's transaction. */
@Injectable()
export class AlarmRepository {
  /** Serialises alarm decisions per plot type across classifier replicas until the transaction ends. */
  async lock(manager: EntityManager, plotType: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('hydra.alarm.' || $1))`, [plotType]);
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
    const rows: { image_id: string; verdict: string; confidence: number; confirmed: boolean }[] =
      await manager.query(
        `SELECT c.image_id, c.verdict, c.confidence, c.confirmed
           FROM classification c JOIN image i ON i.id = c.image_id
          WHERE i.plot_type = $1 AND c.model_id IS NOT NULL
          ORDER BY c.classified_at DESC, i.captured_at DESC
          LIMIT $2`,
        [plotType, count],
      );
    return rows.map((row) => ({
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
