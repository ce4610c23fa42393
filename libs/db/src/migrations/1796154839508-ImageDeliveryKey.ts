import { MigrationInterface, QueryRunner } from "typeorm";

export class ImageDeliveryKey1796154839508 implements MigrationInterface {
    name = 'ImageDeliveryKey1796154839508'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "image" DROP CONSTRAINT "image_sha256_unique"`);
        // Written by hand (TypeORM cannot declare expression indexes): one row per delivered plot, so a
        // re-delivery is found, while the same bytes as another plot (an empty NoData plot) get their own.
        // COALESCE because chunk and pad are null for cumulative and single-pad plots (PostgreSQL 13 has no NULLS NOT DISTINCT).
        await queryRunner.query(`CREATE UNIQUE INDEX "image_delivery_unique" ON "image" ("plot_type", "run_number", COALESCE("chunk", -1), COALESCE("pad", ''), "sha256")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // Fails while two plots share bytes: which of them to keep is not this migration's to decide.
        await queryRunner.query(`DROP INDEX "public"."image_delivery_unique"`);
        await queryRunner.query(`ALTER TABLE "image" ADD CONSTRAINT "image_sha256_unique" UNIQUE ("sha256")`);
    }

}
