import 'reflect-metadata';
import { runService } from '@hydra/service';
import { createTrainerApp } from './trainer.app';
import { trainerConfigFromEnv } from './trainer.config';

runService(trainerConfigFromEnv, createTrainerApp);
