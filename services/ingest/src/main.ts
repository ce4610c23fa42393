import 'reflect-metadata';
import { runService } from '@hydra/service';
import { createIngestApp } from './ingest.app';
import { ingestConfigFromEnv } from './ingest.config';

runService(ingestConfigFromEnv, createIngestApp);
