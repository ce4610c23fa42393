import { configVars } from '@hydra/runtime';
import { loadServiceConfig } from '@hydra/service';
import { isIP } from 'node:net';
import { z } from 'zod';

export interface LabelerApiConfig {
  port: number;
  databaseUrl: string;
  auth: AuthConfig;
  /** The classifier's internal port, where labeler-api forwards alarm actions. */
  classifierUrl: string;
  /** Ingest's internal port, where labeler-api forwards pushed images. */
  ingestUrl: string;
  /** The explainer's internal port, where labeler-api asks for heat maps of a chosen class. */
  explainerUrl: string;
  /** Shared with the classifier: proves a forwarded alarm action comes from labeler-api. */
  internalToken: string | null;
  /** The built web app (`web/dist`) to serve beside the API; null: the API alone. */
  webDir: string | null;
  /** Other services' base URLs by name; the status page shows each one's `/health`. */
  serviceHealthUrls: Record<string, string>;
}

export interface AuthConfig {
  sessionTtlMs: number;
  /** Log-in attempts per client address per minute. */
  loginAttemptsPerMinute: number;
  /** `Secure` cookies: on behind HTTPS. */
  secureCookies: boolean;
  /** The header a trusted proxy names the logged-in user in, e.g. `X-Remote-User`; null: off. */
  proxyHeader: string | null;
  /** Addresses the proxy header is believed from. */
  trustedProxies: string[];
  /** The role of a proxy-authenticated person seen for the first time. */
  proxyDefaultRole: 'viewer' | 'shift' | 'labeler' | 'expert';
  /** The first admin, made on first start when no admin exists. */
  adminName: string;
  /** Its password; generated and printed once when absent. */
  adminPassword: string | null;
}

export const LABELER_API_CONFIG = Symbol('LABELER_API_CONFIG');

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const labelerApiVariables = {
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(12),
  LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  SECURE_COOKIES: configVars.boolean(false),
  TRUSTED_PROXY_HEADER: optional(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an HTTP header name')),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().refine((address) => isIP(address) !== 0, 'comma-separated IP addresses'))),
  TRUSTED_PROXY_DEFAULT_ROLE: z.enum(['viewer', 'shift', 'labeler', 'expert']).default('viewer'),
  HYDRA_ADMIN_USER: z.string().min(1).max(64).default('admin'),
  HYDRA_ADMIN_PASSWORD: optional(z.string().min(10, 'at least 10 characters').max(256)),
  CLASSIFIER_URL: configVars.url(['http', 'https']).default('http://127.0.0.1:3002'),
  INGEST_URL: configVars.url(['http', 'https']).default('http://127.0.0.1:3001'),
  EXPLAINER_URL: configVars.url(['http', 'https']).default('http://127.0.0.1:3003'),
  INTERNAL_API_TOKEN: optional(z.string().min(16, 'at least 16 characters')),
  WEB_DIR: optional(z.string()),
  // `ingest=http://127.0.0.1:3001,classifier=http://127.0.0.1:3002`
  SERVICE_HEALTH_URLS: z
    .string()
    .default('')
    .transform((value, context) => {
      const urls: Record<string, string> = {};
      for (const entry of value
        .split(',')
        .map((pair) => pair.trim())
        .filter(Boolean)) {
        const [name = '', url = ''] = entry.split(/=(.*)/s);
        if (/^[A-Za-z0-9_-]{1,64}$/.test(name) && /^https?:\/\//.test(url) && URL.canParse(url))
          urls[name] = url;
        else context.addIssue({ code: 'custom', message: `"${entry}" is not name=http(s)://url` });
      }
      return urls;
    }),
};

export function labelerApiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LabelerApiConfig {
  const { port, databaseUrl, values } = loadServiceConfig('LABELER_API_PORT', 3000, labelerApiVariables, env);
  return {
    port,
    databaseUrl,
    classifierUrl: values.CLASSIFIER_URL,
    ingestUrl: values.INGEST_URL,
    explainerUrl: values.EXPLAINER_URL,
    internalToken: values.INTERNAL_API_TOKEN ?? null,
    webDir: values.WEB_DIR ?? null,
    serviceHealthUrls: values.SERVICE_HEALTH_URLS,
    auth: {
      sessionTtlMs: values.SESSION_TTL_HOURS * 3_600_000,
      loginAttemptsPerMinute: values.LOGIN_ATTEMPTS_PER_MINUTE,
      secureCookies: values.SECURE_COOKIES,
      proxyHeader: values.TRUSTED_PROXY_HEADER?.toLowerCase() ?? null,
      trustedProxies: values.TRUSTED_PROXIES,
      proxyDefaultRole: values.TRUSTED_PROXY_DEFAULT_ROLE,
      adminName: values.HYDRA_ADMIN_USER,
      adminPassword: values.HYDRA_ADMIN_PASSWORD ?? null,
    },
  };
}
