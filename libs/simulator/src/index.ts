export * from './simulated-plot';
export * from './dataset';
export { Random } from './random';
export { CANVAS_HEIGHT, CANVAS_WIDTH } from './canvas';
