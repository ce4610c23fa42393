import { Column, CreateDateColumn, UpdateDateColumn } from 'typeorm';

/** Every time is a timestamptz: the experiment, the servers and the shift crew span time zones. */
export const TimeColumn = (options: { nullable?: boolean } = {}) =>
  Column({ type: 'timestamptz', nullable: options.nullable ?? false });
export const CreatedAtColumn = () => CreateDateColumn({ type: 'timestamptz' });
export const UpdatedAtColumn = () => UpdateDateColumn({ type: 'timestamptz' });
export const PlotTypeNameColumn = () => Column({ type: 'varchar', length: 64 });
export const LabelNameColumn = (options: { nullable?: boolean } = {}) =>
  Column({ type: 'varchar', length: 32, nullable: options.nullable ?? false });
export const UserNameColumn = (options: { nullable?: boolean } = {}) =>
  Column({ type: 'varchar', length: 64, nullable: options.nullable ?? false });
