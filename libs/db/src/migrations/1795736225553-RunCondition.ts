import { MigrationInterface, QueryRunner } from 'typeorm';

export class RunCondition1795736225553 implements MigrationInterface {
  name = 'RunCondition1795736225553';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "run_condition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "beam_on" boolean NOT NULL, "beam_current" real, "by" character varying(64) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_d93c44bb7f4b007dc93e3a3ca22" UNIQUE ("event_id"), CONSTRAINT "PK_ff190e6c73d01b864f597634ddb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "run_condition_occurred_at" ON "run_condition"  ("occurred_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."run_condition_occurred_at"`);
    await queryRunner.query(`DROP TABLE "run_condition"`);
  }
}
