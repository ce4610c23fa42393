import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CreatedAtColumn } from './columns';
import type { Image } from './image.entity';

/**
 * An image stored but not yet announced: written in the image's own transaction, deleted once the
 * broker has acknowledged its `image.new`, so a stored image is announced whatever the broker does.
 */
@Entity('image_outbox')
@Index('image_outbox_image_unique', ['imageId'], { unique: true })
export class ImageOutbox {
  /** Announcement order. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  imageId!: string;

  @ManyToOne('Image', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Relation<Image>;

  @CreatedAtColumn()
  createdAt!: Date;
}
