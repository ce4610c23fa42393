import { MigrationInterface, QueryRunner } from "typeorm";

export class ImageListingAndUndo1796152190445 implements MigrationInterface {
    name = 'ImageListingAndUndo1796152190445'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."image_plot_type_captured_at"`);
        await queryRunner.query(`ALTER TABLE "label_batch" ADD "undoes_batch_id" uuid`);
        await queryRunner.query(`CREATE INDEX "image_kept_plot_type_run" ON "image"  ("plot_type", "run_number", "captured_at", "id") WHERE "keep"`);
        await queryRunner.query(`CREATE INDEX "image_captured_at" ON "image"  ("captured_at", "id") `);
        await queryRunner.query(`CREATE INDEX "image_plot_type_captured_at" ON "image"  ("plot_type", "captured_at", "id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "label_batch_undoes_batch_id_unique" ON "label_batch"  ("undoes_batch_id") `);
        await queryRunner.query(`CREATE INDEX "label_batch_user_plot_type_created_at" ON "label_batch"  ("user_id", "plot_type", "created_at") `);
        await queryRunner.query(`ALTER TABLE "label_batch" ADD CONSTRAINT "FK_8e4b589f476a2ccd500d7b836d0" FOREIGN KEY ("undoes_batch_id") REFERENCES "label_batch"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        // Written by hand (TypeORM cannot declare GIN indexes): an image's label history is `items @> [{imageId}]`.
        await queryRunner.query(`CREATE INDEX "label_batch_items" ON "label_batch" USING gin ("items" jsonb_path_ops)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."label_batch_items"`);
        await queryRunner.query(`ALTER TABLE "label_batch" DROP CONSTRAINT "FK_8e4b589f476a2ccd500d7b836d0"`);
        await queryRunner.query(`DROP INDEX "public"."label_batch_user_plot_type_created_at"`);
        await queryRunner.query(`DROP INDEX "public"."label_batch_undoes_batch_id_unique"`);
        await queryRunner.query(`DROP INDEX "public"."image_plot_type_captured_at"`);
        await queryRunner.query(`DROP INDEX "public"."image_captured_at"`);
        await queryRunner.query(`DROP INDEX "public"."image_kept_plot_type_run"`);
        await queryRunner.query(`ALTER TABLE "label_batch" DROP COLUMN "undoes_batch_id"`);
        await queryRunner.query(`CREATE INDEX "image_plot_type_captured_at" ON "image" USING btree ("plot_type", "captured_at") `);
    }

}
