import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795727949422 implements MigrationInterface {
  name = 'InitialSchema1795727949422';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."alarm_event" AS ENUM('raised', 'acknowledged', 'returned', 'cleared', 'shelved', 'unshelved', 'suppressed', 'unsuppressed', 'disabled', 'enabled')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."alarm_state" AS ENUM('normal', 'active-unacknowledged', 'active-acknowledged', 'returned-unacknowledged', 'shelved', 'suppressed', 'disabled')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."alarm_severity" AS ENUM('minor', 'major')`);
    await queryRunner.query(
      `CREATE TABLE "alarm" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alarm_id" uuid NOT NULL, "plot_type" character varying(64) NOT NULL, "event" "public"."alarm_event" NOT NULL, "state" "public"."alarm_state" NOT NULL, "severity" "public"."alarm_severity" NOT NULL, "since" TIMESTAMP WITH TIME ZONE NOT NULL, "image_id" uuid, "verdict" character varying(32), "confidence" real, "by" character varying(64), "reason" text, "shelved_until" TIMESTAMP WITH TIME ZONE, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "alarm_confidence_range" CHECK ("confidence" IS NULL OR "confidence" BETWEEN 0 AND 1), CONSTRAINT "PK_ea806c911b4b0617f2e306094e7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "alarm_alarm_id" ON "alarm"  ("alarm_id") `);
    await queryRunner.query(
      `CREATE INDEX "alarm_plot_type_occurred_at" ON "alarm"  ("plot_type", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "classification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "image_id" uuid NOT NULL, "model_id" uuid, "verdict" character varying(32) NOT NULL, "confidence" real NOT NULL, "outputs" jsonb NOT NULL, "thresholds" jsonb NOT NULL, "confirmed" boolean NOT NULL, "latency_ms" real NOT NULL, "classified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "classification_confidence_range" CHECK ("confidence" BETWEEN 0 AND 1), CONSTRAINT "PK_1dc9176492b73104aa3d19ccff4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "classification_classified_at" ON "classification"  ("classified_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "classification_image_without_model_unique" ON "classification"  ("image_id") WHERE "model_id" IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "classification_image_model_unique" ON "classification"  ("image_id", "model_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "explanation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "image_id" uuid NOT NULL, "model_id" uuid NOT NULL, "heatmap_key" text NOT NULL, "compute_ms" real NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5b67db9ddae6771a7a2568fc58d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "explanation_image_model_unique" ON "explanation"  ("image_id", "model_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "image_label" ("image_id" uuid NOT NULL, "label_id" integer NOT NULL, "batch_id" uuid NOT NULL, "labeled_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_229783bf9447851f20ab600131d" PRIMARY KEY ("image_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "image_label_label" ON "image_label"  ("label_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."keep_reason" AS ENUM('sample', 'unconfirmed', 'confirmed-bad')`,
    );
    await queryRunner.query(
      `CREATE TABLE "image" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "plot_type" character varying(64) NOT NULL, "run_period" character varying(64) NOT NULL, "run_number" integer NOT NULL, "chunk" integer, "pad" character varying(32), "captured_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sha256" character(64) NOT NULL, "storage_key" text NOT NULL, "size_bytes" integer NOT NULL, "width" integer NOT NULL, "height" integer NOT NULL, "keep" boolean NOT NULL DEFAULT false, "keep_reason" "public"."keep_reason", "training_weight" real NOT NULL DEFAULT '1', "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "image_sha256_unique" UNIQUE ("sha256"), CONSTRAINT "image_keep_reason_when_kept" CHECK ("keep" OR "keep_reason" IS NULL), CONSTRAINT "image_training_weight_nonnegative" CHECK ("training_weight" >= 0), CONSTRAINT "image_dimensions_positive" CHECK ("width" > 0 AND "height" > 0 AND "size_bytes" > 0), CONSTRAINT "image_sha256_hex" CHECK ("sha256" ~ '^[0-9a-f]{64}$'), CONSTRAINT "PK_d6db1ab4ee9ad9dbe86c64e4cc3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "image_plot_type_run" ON "image"  ("plot_type", "run_number") `);
    await queryRunner.query(
      `CREATE INDEX "image_plot_type_captured_at" ON "image"  ("plot_type", "captured_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "label_batch" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "plot_type" character varying(64) NOT NULL, "items" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_39739a001cd077189e8c28afc0e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "label_batch_plot_type_created_at" ON "label_batch"  ("plot_type", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "label" ("id" SERIAL NOT NULL, "name" character varying(32) NOT NULL, "colour" character(7) NOT NULL, "excluded_from_training" boolean NOT NULL DEFAULT false, "description" text, CONSTRAINT "label_name_unique" UNIQUE ("name"), CONSTRAINT "label_colour_hex" CHECK ("colour" ~ '^#[0-9A-Fa-f]{6}$'), CONSTRAINT "PK_5692ac5348861d3776eb5843672" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "model_threshold" ("model_id" uuid NOT NULL, "label" character varying(32) NOT NULL, "threshold" real NOT NULL, "set_by" character varying(64) NOT NULL, "reason" text, "set_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "model_threshold_range" CHECK ("threshold" BETWEEN 0 AND 1), CONSTRAINT "PK_095a291eeceed2a55617d0a4771" PRIMARY KEY ("model_id", "label"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."model_architecture" AS ENUM('hydra-cnn', 'mobilenet-v2', 'inception-v3')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."model_status" AS ENUM('candidate', 'rejected', 'retired')`,
    );
    await queryRunner.query(
      `CREATE TABLE "model" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "plot_type" character varying(64) NOT NULL, "architecture" "public"."model_architecture" NOT NULL, "status" "public"."model_status" NOT NULL, "rejection_reason" text, "parent_model_id" uuid, "training_job_id" uuid, "labels" jsonb NOT NULL, "input_shape" jsonb NOT NULL, "artifact_prefix" text NOT NULL, "metrics" jsonb NOT NULL DEFAULT '{}', "trained_by" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "promoted_at" TIMESTAMP WITH TIME ZONE, "promoted_by" character varying(64), CONSTRAINT "PK_d6df271bba301d5cc79462912a4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "model_plot_type_created_at" ON "model"  ("plot_type", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "plot_type_label" ("plot_type" character varying(64) NOT NULL, "label_id" integer NOT NULL, "position" smallint NOT NULL, "hotkey" character(1), CONSTRAINT "PK_b65b313051e81f98b39e38ad20c" PRIMARY KEY ("plot_type", "label_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "plot_type_label_hotkey_unique" ON "plot_type_label"  ("plot_type", "hotkey") WHERE "hotkey" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "plot_type_label_position_unique" ON "plot_type_label"  ("plot_type", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "plot_type" ("name" character varying(64) NOT NULL, "group_name" character varying(64), "chunked" boolean NOT NULL DEFAULT false, "hidden" boolean NOT NULL DEFAULT false, "collect_percent" double precision NOT NULL DEFAULT '5', "active_model_id" uuid, "contact" text, "alarm_on_delay" integer NOT NULL DEFAULT '3', "alarm_off_delay" integer NOT NULL DEFAULT '3', "alarm_severity" "public"."alarm_severity" NOT NULL DEFAULT 'major', "alarm_enabled" boolean NOT NULL DEFAULT true, "auto_promote" boolean NOT NULL DEFAULT false, "training_defaults" jsonb NOT NULL DEFAULT '{}', "training_gates" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "plot_type_alarm_delays_positive" CHECK ("alarm_on_delay" >= 1 AND "alarm_off_delay" >= 1), CONSTRAINT "plot_type_collect_percent_range" CHECK ("collect_percent" BETWEEN 0 AND 100), CONSTRAINT "plot_type_name_charset" CHECK ("name" ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'), CONSTRAINT "PK_a35ab16f481ac09165e832873b3" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."training_job_status" AS ENUM('queued', 'running', 'succeeded', 'failed', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "training_job" ("id" uuid NOT NULL, "plot_type" character varying(64) NOT NULL, "requested_by" character varying(64) NOT NULL, "options" jsonb NOT NULL DEFAULT '{}', "status" "public"."training_job_status" NOT NULL DEFAULT 'queued', "progress" jsonb, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "heartbeat_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3820223d67966adc93c031de2eb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "training_job_one_active_per_plot_type" ON "training_job"  ("plot_type") WHERE "status" IN ('queued', 'running')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."dataset_split" AS ENUM('train', 'validation', 'test')`);
    await queryRunner.query(
      `CREATE TABLE "training_set" ("training_job_id" uuid NOT NULL, "image_id" uuid NOT NULL, "split" "public"."dataset_split" NOT NULL, "label" character varying(32) NOT NULL, CONSTRAINT "PK_9fe74346dd5c8531a99bb70abab" PRIMARY KEY ("training_job_id", "image_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "training_set_job_split" ON "training_set"  ("training_job_id", "split") `,
    );
    await queryRunner.query(
      `CREATE TABLE "user_plot_permission" ("user_id" uuid NOT NULL, "plot_type" character varying(64) NOT NULL, "can_label" boolean NOT NULL DEFAULT true, "can_train" boolean NOT NULL DEFAULT false, "can_promote" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_da74a6cdb6a21b2ef87ea2c4b3e" PRIMARY KEY ("user_id", "plot_type"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."user_role" AS ENUM('viewer', 'labeler', 'expert', 'admin')`,
    );
    await queryRunner.query(
      `CREATE TABLE "user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(64) NOT NULL, "display_name" character varying(128), "role" "public"."user_role" NOT NULL DEFAULT 'viewer', "password_hash" text, "disabled" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "user_name_unique" UNIQUE ("name"), CONSTRAINT "PK_cace4a159ff9f2512dd42373760" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "alarm" ADD CONSTRAINT "FK_b202c2257283648c82143c2a10d" FOREIGN KEY ("plot_type") REFERENCES "plot_type"("name") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "alarm" ADD CONSTRAINT "FK_156fa22a5fb0ffcf7889558b300" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "classification" ADD CONSTRAINT "FK_f1ef43a21318f9bc5a44b292c87" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "classification" ADD CONSTRAINT "FK_cf9f2c460233cb4294a4cf12a77" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "explanation" ADD CONSTRAINT "FK_36787f7c02763505205ad4f1123" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "explanation" ADD CONSTRAINT "FK_bd47dee33c9ddb5a75701824d09" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "image_label" ADD CONSTRAINT "FK_229783bf9447851f20ab600131d" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "image_label" ADD CONSTRAINT "FK_841b9fd74146a3a51a3ddcf535d" FOREIGN KEY ("label_id") REFERENCES "label"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "image_label" ADD CONSTRAINT "FK_e5fa46bc23ba876b7ed27350ea5" FOREIGN KEY ("batch_id") REFERENCES "label_batch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "image" ADD CONSTRAINT "FK_436475ec468280d69d7fb8b4390" FOREIGN KEY ("plot_type") REFERENCES "plot_type"("name") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "label_batch" ADD CONSTRAINT "FK_2f8340d797bf449eda79b7d3d7f" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "label_batch" ADD CONSTRAINT "FK_91f426a0fc76a1d9b4f9073bb7c" FOREIGN KEY ("plot_type") REFERENCES "plot_type"("name") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model_threshold" ADD CONSTRAINT "FK_1fcc8e4f06e61f923a0d63c3536" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model" ADD CONSTRAINT "FK_b2229219c4612dbc42ef250e0fb" FOREIGN KEY ("plot_type") REFERENCES "plot_type"("name") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model" ADD CONSTRAINT "FK_626beb67864bac2835a578ff11e" FOREIGN KEY ("parent_model_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "model" ADD CONSTRAINT "FK_cfd7147d44f8350abb9c33543b4" FOREIGN KEY ("training_job_id") REFERENCES "training_job"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "plot_type_label" ADD CONSTRAINT "FK_9506deb607df5f7ebf5e153c74e" FOREIGN KEY ("plot_type") REFERENCES "plot_type"("name") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "plot_type_label" ADD CONSTRAINT "FK_fc4bd36d08d548223c6ca99be9b" FOREIGN KEY ("label_id") REFERENCES "label"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "plot_type" ADD CONSTRAINT "FK_be3f53728b324872e884f04b9b4" FOREIGN KEY ("active_model_id") REFERENCES "model"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "training_job" ADD CONSTRAINT "FK_7ceb0336caae3b81a416c07adbb" FOREIGN KEY ("plot_type") REFERENCES "plot_type"("name") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "training_set" ADD CONSTRAINT "FK_822c9d776bcc266413c769413e0" FOREIGN KEY ("training_job_id") REFERENCES "training_job"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "training_set" ADD CONSTRAINT "FK_3c755ea570cab25f140be14c570" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_plot_permission" ADD CONSTRAINT "FK_1d246cc3d564cd3f200c90f8e2a" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_plot_permission" ADD CONSTRAINT "FK_9d842c76b952a2b86944edb7fee" FOREIGN KEY ("plot_type") REFERENCES "plot_type"("name") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "user_plot_permission" DROP CONSTRAINT "FK_9d842c76b952a2b86944edb7fee"`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_plot_permission" DROP CONSTRAINT "FK_1d246cc3d564cd3f200c90f8e2a"`,
    );
    await queryRunner.query(`ALTER TABLE "training_set" DROP CONSTRAINT "FK_3c755ea570cab25f140be14c570"`);
    await queryRunner.query(`ALTER TABLE "training_set" DROP CONSTRAINT "FK_822c9d776bcc266413c769413e0"`);
    await queryRunner.query(`ALTER TABLE "training_job" DROP CONSTRAINT "FK_7ceb0336caae3b81a416c07adbb"`);
    await queryRunner.query(`ALTER TABLE "plot_type" DROP CONSTRAINT "FK_be3f53728b324872e884f04b9b4"`);
    await queryRunner.query(`ALTER TABLE "plot_type_label" DROP CONSTRAINT "FK_fc4bd36d08d548223c6ca99be9b"`);
    await queryRunner.query(`ALTER TABLE "plot_type_label" DROP CONSTRAINT "FK_9506deb607df5f7ebf5e153c74e"`);
    await queryRunner.query(`ALTER TABLE "model" DROP CONSTRAINT "FK_cfd7147d44f8350abb9c33543b4"`);
    await queryRunner.query(`ALTER TABLE "model" DROP CONSTRAINT "FK_626beb67864bac2835a578ff11e"`);
    await queryRunner.query(`ALTER TABLE "model" DROP CONSTRAINT "FK_b2229219c4612dbc42ef250e0fb"`);
    await queryRunner.query(`ALTER TABLE "model_threshold" DROP CONSTRAINT "FK_1fcc8e4f06e61f923a0d63c3536"`);
    await queryRunner.query(`ALTER TABLE "label_batch" DROP CONSTRAINT "FK_91f426a0fc76a1d9b4f9073bb7c"`);
    await queryRunner.query(`ALTER TABLE "label_batch" DROP CONSTRAINT "FK_2f8340d797bf449eda79b7d3d7f"`);
    await queryRunner.query(`ALTER TABLE "image" DROP CONSTRAINT "FK_436475ec468280d69d7fb8b4390"`);
    await queryRunner.query(`ALTER TABLE "image_label" DROP CONSTRAINT "FK_e5fa46bc23ba876b7ed27350ea5"`);
    await queryRunner.query(`ALTER TABLE "image_label" DROP CONSTRAINT "FK_841b9fd74146a3a51a3ddcf535d"`);
    await queryRunner.query(`ALTER TABLE "image_label" DROP CONSTRAINT "FK_229783bf9447851f20ab600131d"`);
    await queryRunner.query(`ALTER TABLE "explanation" DROP CONSTRAINT "FK_bd47dee33c9ddb5a75701824d09"`);
    await queryRunner.query(`ALTER TABLE "explanation" DROP CONSTRAINT "FK_36787f7c02763505205ad4f1123"`);
    await queryRunner.query(`ALTER TABLE "classification" DROP CONSTRAINT "FK_cf9f2c460233cb4294a4cf12a77"`);
    await queryRunner.query(`ALTER TABLE "classification" DROP CONSTRAINT "FK_f1ef43a21318f9bc5a44b292c87"`);
    await queryRunner.query(`ALTER TABLE "alarm" DROP CONSTRAINT "FK_156fa22a5fb0ffcf7889558b300"`);
    await queryRunner.query(`ALTER TABLE "alarm" DROP CONSTRAINT "FK_b202c2257283648c82143c2a10d"`);
    await queryRunner.query(`DROP TABLE "user"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP TABLE "user_plot_permission"`);
    await queryRunner.query(`DROP INDEX "public"."training_set_job_split"`);
    await queryRunner.query(`DROP TABLE "training_set"`);
    await queryRunner.query(`DROP TYPE "public"."dataset_split"`);
    await queryRunner.query(`DROP INDEX "public"."training_job_one_active_per_plot_type"`);
    await queryRunner.query(`DROP TABLE "training_job"`);
    await queryRunner.query(`DROP TYPE "public"."training_job_status"`);
    await queryRunner.query(`DROP TABLE "plot_type"`);
    await queryRunner.query(`DROP INDEX "public"."plot_type_label_position_unique"`);
    await queryRunner.query(`DROP INDEX "public"."plot_type_label_hotkey_unique"`);
    await queryRunner.query(`DROP TABLE "plot_type_label"`);
    await queryRunner.query(`DROP INDEX "public"."model_plot_type_created_at"`);
    await queryRunner.query(`DROP TABLE "model"`);
    await queryRunner.query(`DROP TYPE "public"."model_status"`);
    await queryRunner.query(`DROP TYPE "public"."model_architecture"`);
    await queryRunner.query(`DROP TABLE "model_threshold"`);
    await queryRunner.query(`DROP TABLE "label"`);
    await queryRunner.query(`DROP INDEX "public"."label_batch_plot_type_created_at"`);
    await queryRunner.query(`DROP TABLE "label_batch"`);
    await queryRunner.query(`DROP INDEX "public"."image_plot_type_captured_at"`);
    await queryRunner.query(`DROP INDEX "public"."image_plot_type_run"`);
    await queryRunner.query(`DROP TABLE "image"`);
    await queryRunner.query(`DROP TYPE "public"."keep_reason"`);
    await queryRunner.query(`DROP INDEX "public"."image_label_label"`);
    await queryRunner.query(`DROP TABLE "image_label"`);
    await queryRunner.query(`DROP INDEX "public"."explanation_image_model_unique"`);
    await queryRunner.query(`DROP TABLE "explanation"`);
    await queryRunner.query(`DROP INDEX "public"."classification_image_model_unique"`);
    await queryRunner.query(`DROP INDEX "public"."classification_image_without_model_unique"`);
    await queryRunner.query(`DROP INDEX "public"."classification_classified_at"`);
    await queryRunner.query(`DROP TABLE "classification"`);
    await queryRunner.query(`DROP INDEX "public"."alarm_plot_type_occurred_at"`);
    await queryRunner.query(`DROP INDEX "public"."alarm_alarm_id"`);
    await queryRunner.query(`DROP TABLE "alarm"`);
    await queryRunner.query(`DROP TYPE "public"."alarm_severity"`);
    await queryRunner.query(`DROP TYPE "public"."alarm_state"`);
    await queryRunner.query(`DROP TYPE "public"."alarm_event"`);
  }
}
