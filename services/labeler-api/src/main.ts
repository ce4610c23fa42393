import 'reflect-metadata';
import { runService } from '@hydra/service';
import { createLabelerApiApp } from './labeler-api.app';
import { labelerApiConfigFromEnv } from './labeler-api.config';

runService(labelerApiConfigFromEnv, createLabelerApiApp);
