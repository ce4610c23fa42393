import { MigrationInterface, QueryRunner } from "typeorm";

export class AlarmCursor1796215278763 implements MigrationInterface {
    name = 'AlarmCursor1796215278763'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "alarm_cursor" ("plot_type" character varying(64) NOT NULL, "classified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "captured_at" TIMESTAMP WITH TIME ZONE NOT NULL, "classification_id" uuid NOT NULL, CONSTRAINT "PK_39f74c259ec1e4ec547f97f5fd5" PRIMARY KEY ("plot_type"))`);
        await queryRunner.query(`ALTER TABLE "alarm_cursor" ADD CONSTRAINT "FK_39f74c259ec1e4ec547f97f5fd5" FOREIGN KEY ("plot_type") REFERENCES "plot_type"("name") ON DELETE CASCADE ON UPDATE NO ACTION`);
        // The alarms have read every verdict stored before this release: none is replayed.
        await queryRunner.query(`INSERT INTO "alarm_cursor" ("plot_type", "classified_at", "captured_at", "classification_id")
            SELECT DISTINCT ON (i.plot_type) i.plot_type, c.classified_at, i.captured_at, c.id
              FROM "classification" c JOIN "image" i ON i.id = c.image_id
             WHERE c.model_id IS NOT NULL
             ORDER BY i.plot_type, c.classified_at DESC, i.captured_at DESC, c.id DESC`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "alarm_cursor" DROP CONSTRAINT "FK_39f74c259ec1e4ec547f97f5fd5"`);
        await queryRunner.query(`DROP TABLE "alarm_cursor"`);
    }

}
