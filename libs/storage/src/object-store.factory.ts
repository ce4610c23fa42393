import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configVars, loadConfig } from '@hydra/runtime';
import { z } from 'zod';
import { LocalObjectStore } from './local-object-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3-object-store';

const storageEnvironment = z.object({
  S3_ENDPOINT: configVars.url(['http', 'https']).optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).default('hydra'),
  S3_REGION: z.string().default('us-east-1'),
  STORAGE_DIR: z.string().default('.hydra/objects'),
  STORAGE_SIGNING_SECRET: z.string().min(16).optional(),
  PUBLIC_URL: configVars.url(['http', 'https']).default('http://127.0.0.1:3000'),
});

/** S3 when `S3_ENDPOINT` is set (keys required), else the local folder `STORAGE_DIR`. */
export async function objectStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<ObjectStore> {
  const config = loadConfig(storageEnvironment, env);
  if (config.S3_ENDPOINT) {
    if (!config.S3_ACCESS_KEY || !config.S3_SECRET_KEY) {
      throw new Error(
        'invalid configuration:\n  S3_ACCESS_KEY and S3_SECRET_KEY must be set with S3_ENDPOINT',
      );
    }
    const store = new S3ObjectStore({
      endpoint: config.S3_ENDPOINT,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
    });
    await store.ensureBucket();
    return store;
  }
  return new LocalObjectStore({
    root: config.STORAGE_DIR,
    signingSecret: config.STORAGE_SIGNING_SECRET ?? (await persistentSecret(config.STORAGE_DIR)),
    publicBaseUrl: `${config.PUBLIC_URL}/objects`,
  });
}

/** A secret made once per store folder, so signed links survive restarts without configuration. */
async function persistentSecret(root: string): Promise<string> {
  const path = join(root, '.signing-secret');
  await mkdir(root, { recursive: true });
  try {
    await writeFile(path, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return (await readFile(path, 'utf8')).trim();
}
