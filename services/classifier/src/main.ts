import 'reflect-metadata';
import { runService } from '@hydra/service';
import { createClassifierApp } from './classifier.app';
import { classifierConfigFromEnv } from './classifier.config';

runService(classifierConfigFromEnv, createClassifierApp);
