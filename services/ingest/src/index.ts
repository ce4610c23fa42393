export * from './ingest.app';
export * from './ingest.config';
export { parsePlotPath } from './plot-file-name';
