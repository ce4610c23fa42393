import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A class a plot can be put in: Good, Bad, NoData, Ignore… */
@Entity('label')
@Unique('label_name_unique', ['name'])
@Check('label_colour_hex', `"colour" ~ '^#[0-9A-Fa-f]{6}$'`)
export class Label {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  name!: string;

  @Column({ type: 'char', length: 7 })
  colour!: string;

  /** Images with this label never train a model (Hydra's Ignore). */
  @Column({ type: 'boolean', default: false })
  excludedFromTraining!: boolean;

  @Column({ type: 'text', nullable: true })
  description!: string | null;
}
