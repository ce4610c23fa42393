export * from './simulated-plot';
export * from './dataset';
export { Random } from './random';
export { CANVAS_HEIGHT, CANVAS_WIDTH } from './canvas';
export { type PaletteName, PALETTE_NAMES } from './palette';
export { type CanvasSize, ROOT_CANVAS_SIZES } from './root/layout';
export type { RootStyleOptions } from './root/look';
export { ROOT_FAULT_LEVELS } from './root/faults';
