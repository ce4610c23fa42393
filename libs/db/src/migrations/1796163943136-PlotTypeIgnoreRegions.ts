import { MigrationInterface, QueryRunner } from "typeorm";

export class PlotTypeIgnoreRegions1796163943136 implements MigrationInterface {
    name = 'PlotTypeIgnoreRegions1796163943136'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "plot_type" ADD "ignore_regions" jsonb NOT NULL DEFAULT '[]'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "plot_type" DROP COLUMN "ignore_regions"`);
    }

}
