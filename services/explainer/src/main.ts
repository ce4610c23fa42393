import 'reflect-metadata';
import { runService } from '@hydra/service';
import { createExplainerApp } from './explainer.app';
import { explainerConfigFromEnv } from './explainer.config';

runService(explainerConfigFromEnv, createExplainerApp);
