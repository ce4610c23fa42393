import { MigrationInterface, QueryRunner } from "typeorm";

export class ImageOutbox1796162107239 implements MigrationInterface {
    name = 'ImageOutbox1796162107239'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "image_outbox" ("id" BIGSERIAL NOT NULL, "image_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_83a5870d40f586a24069635dbf3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "image_outbox_image_unique" ON "image_outbox"  ("image_id") `);
        await queryRunner.query(`ALTER TABLE "image_outbox" ADD CONSTRAINT "FK_3f8a016909d4f2da0ff8f331064" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "image_outbox" DROP CONSTRAINT "FK_3f8a016909d4f2da0ff8f331064"`);
        await queryRunner.query(`DROP INDEX "public"."image_outbox_image_unique"`);
        await queryRunner.query(`DROP TABLE "image_outbox"`);
    }

}
