import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { getCountries } from 'libphonenumber-js';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './webhooks/retrySchedule';

/** A string from the environment that must read as an integer within bounds. */
const intFromEnv = (min: number, max: number) =>
  new t.Type<number, string, unknown>(
    `an integer from ${min} to ${max}`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) => {
      const n = typeof u === 'string' && /^\d+$/.test(u.trim()) ? Number(u) : NaN;
      return Number.isInteger(n) && n >= min && n <= max ? t.success(n) : t.failure(u, c);
    },
    String,
  );

const booleanFromEnv = new t.Type<boolean, string, unknown>(
  'true or false',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => {
    const s = typeof u === 'string' ? u.trim().toLowerCase() : '';
    if (['true', '1', 'yes'].includes(s)) return t.success(true);
    if (['false', '0', 'no'].includes(s)) return t.success(false);
    return t.failure(u, c);
  },
  String,
);

const urlWithScheme = (schemes: readonly string[]) =>
  new t.Type<string, string, unknown>(
    `a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`,
    (u): u is string => typeof u === 'string',
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c);
      const scheme = /^([a-z+]+):\/\//i.exec(u.trim())?.[1]?.toLowerCase();
      return scheme !== undefined && schemes.includes(scheme)
        ? t.success(u.trim())
        : t.failure(u, c);
    },
    String,
  );

const secret = new t.Type<string, string, unknown>(
  'at least 16 characters',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && u.trim().length >= 16 ? t.success(u.trim()) : t.failure(u, c),
  String,
);

const retrySchedule = new t.Type<readonly number[], string, unknown>(
  'delays like 0,5s,5m,2h (ms, s, m, h or d)',
  (u): u is readonly number[] => Array.isArray(u),
  (u, c) => {
    const parsed = typeof u === 'string' ? parseRetrySchedule(u) : null;
    return parsed === null ? t.failure(u, c) : t.success(parsed);
  },
  (delays) => delays.map((ms) => `${ms}ms`).join(','),
);

const logLevel = t.keyof({
  fatal: null,
  error: null,
  warn: null,
  info: null,
  debug: null,
  trace: null,
  silent: null,
});

/** Every variable Parley reads, with its codec; absent means "use the default". */
const variables = {
  PORT: intFromEnv(0, 65535),
  HOST: t.string,
  DATA_DIR: t.string,
  DATABASE_URL: urlWithScheme(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: intFromEnv(1, 500),
  EVENTSTORE_URL: urlWithScheme(['esdb', 'esdb+discover']),
  ADMIN_TOKEN: secret,
  PUBLIC_URL: urlWithScheme(['http', 'https']),
  WEBHOOK_ALLOW_PRIVATE: booleanFromEnv,
  WEBHOOK_RETRY_SCHEDULE: retrySchedule,
  WEBHOOK_TIMEOUT_MS: intFromEnv(100, 600_000),
  WEBHOOK_CONCURRENCY: intFromEnv(0, 1000),
  LOG_LEVEL: logLevel,
  MAX_BODY_BYTES: intFromEnv(1024, 64 * 1024 * 1024),
  MAX_IMPORT_BYTES: intFromEnv(1024, 1024 * 1024 * 1024),
  MAX_TEXT_BYTES: intFromEnv(1, 16 * 1024 * 1024),
  MAX_HTML_BYTES: intFromEnv(1, 16 * 1024 * 1024),
  MAX_ATTACHMENTS: intFromEnv(0, 1000),
  MAX_INTEGRATION_DATA_BYTES: intFromEnv(0, 16 * 1024 * 1024),
  MAX_REFERENCE_LENGTH: intFromEnv(1, 65536),
  MAX_TITLE_LENGTH: intFromEnv(1, 65536),
  RATE_LIMIT_PER_SECOND: intFromEnv(0, 1_000_000),
  RATE_LIMIT_BURST: intFromEnv(1, 1_000_000),
  RATE_LIMIT_LEASE: intFromEnv(1, 1_000_000),
  AGGREGATE_CACHE_SIZE: intFromEnv(0, 10_000_000),
  DEFAULT_PHONE_REGION: t.keyof(
    Object.fromEntries(getCountries().map((c) => [c, null])) as Record<string, null>,
    'an ISO 3166 country code known to libphonenumber, like RU or US',
  ),
  MIN_POSITION_TIMEOUT_MS: intFromEnv(0, 60_000),
  AUDIT_SIGNING_KEY: secret,
  AUDIT_NOTARY: booleanFromEnv,
  PARLEY_MASTER_KEY: secret,
  PARLEY_PREVIOUS_MASTER_KEY: secret,
  PRIVACY_ENCRYPTION: booleanFromEnv,
  ATTACHMENT_STORAGE: t.keyof({ postgres: null, s3: null }, 'postgres or s3'),
  ATTACHMENT_MAX_BYTES: intFromEnv(1, 1024 * 1024 * 1024),
  ATTACHMENT_FETCH_TIMEOUT_MS: intFromEnv(100, 600_000),
  ATTACHMENT_FETCH_CONCURRENCY: intFromEnv(0, 1000),
  ATTACHMENT_FETCH_RETRY_SCHEDULE: retrySchedule,
  ATTACHMENT_LINK_TTL_SECONDS: intFromEnv(1, 366 * 86_400),
  ATTACHMENT_LINK_SECRET: secret,
  S3_ENDPOINT: urlWithScheme(['http', 'https']),
  S3_REGION: t.string,
  S3_BUCKET: t.string,
  S3_ACCESS_KEY_ID: t.string,
  S3_SECRET_ACCESS_KEY: t.string,
  S3_FORCE_PATH_STYLE: booleanFromEnv,
} as const;

type Variables = { [K in keyof typeof variables]: t.TypeOf<(typeof variables)[K]> };

export type Limits = Readonly<{
  bodyBytes: number;
  /** a history import's NDJSON body */
  importBytes: number;
  textBytes: number;
  htmlBytes: number;
  attachments: number;
  integrationDataBytes: number;
  referenceLength: number;
  titleLength: number;
}>;

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  /** absent: the embedded PostgreSQL under dataDir */
  databaseUrl: string | null;
  databasePoolSize: number;
  /** present: events go to EventStoreDB instead of PostgreSQL */
  eventStoreUrl: string | null;
  adminToken: string | null;
  publicUrl: string | null;
  webhookAllowPrivate: boolean;
  webhookDelivery: Readonly<{
    /** delays before each attempt, in ms; the first attempt's is usually 0 */
    retryScheduleMs: readonly number[];
    timeoutMs: number;
    /** deliveries in flight at once in this process; 0: this process sends none */
    concurrency: number;
  }>;
  logLevel: t.TypeOf<typeof logLevel>;
  limits: Limits;
  /** the country of phone numbers written without a country code */
  defaultPhoneRegion: string;
  /** per channel; 0 turns rate limiting off */
  /** `lease`: tokens a process takes from the shared bucket at once (docs/configuration.md) */
  rateLimit: Readonly<{ perSecond: number; burst: number; lease: number }>;
  /** streams whose state each process keeps between commands; 0 turns the cache off */
  aggregateCacheSize: number;
  /** how long a read with `min_position` waits for the read models to catch up */
  minPositionTimeoutMs: number;
  audit: Readonly<{
    /** Ed25519 private key (docs/audit.md); absent: DATA_DIR/audit-signing-key */
    signingKey: string | null;
    /** false: no notary here (the bench's baseline); the log is then not notarised */
    notary: boolean;
  }>;
  /** AES-256 keys sealing stored secrets (docs/operations.md); absent: DATA_DIR/master-key */
  masterKey: Readonly<{ current: string | null; previous: string | null }>;
  /** false: personal fields are stored in plaintext (the bench's baseline only; docs/privacy.md) */
  privacyEncryption: boolean;
  /** keeping attachment files (SPEC §2.1, docs/configuration.md) */
  attachments: Readonly<{
    storage: 'postgres' | 's3';
    maxBytes: number;
    fetchTimeoutMs: number;
    /** fetches in flight at once in this process; 0: this process fetches none */
    fetchConcurrency: number;
    retryScheduleMs: readonly number[];
    linkTtlSeconds: number;
    /** signs integrators' links; absent: derived from the master key */
    linkSecret: string | null;
    s3: Readonly<{
      endpoint: string | null;
      region: string;
      bucket: string | null;
      accessKeyId: string | null;
      secretAccessKey: string | null;
      forcePathStyle: boolean;
    }>;
  }>;
}>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const describeValue = (value: string): string =>
  value.length > 40 ? `${value.slice(0, 37)}...` : value;

/** Reads the environment; throws ConfigError naming every bad variable at once. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const problems: string[] = [];
  const values: Partial<Variables> = {};
  for (const [name, codec] of Object.entries(variables) as [keyof Variables, t.Type<unknown>][]) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const decoded = codec.decode(raw);
    if (isLeft(decoded)) {
      const shown =
        name === 'ADMIN_TOKEN' ||
        name === 'DATABASE_URL' ||
        name === 'AUDIT_SIGNING_KEY' ||
        name.endsWith('MASTER_KEY') ||
        name.endsWith('_SECRET') ||
        name === 'S3_SECRET_ACCESS_KEY'
          ? '(hidden)'
          : `"${describeValue(raw)}"`;
      problems.push(`${name} must be ${codec.name}, got ${shown}`);
    } else {
      (values as Record<string, unknown>)[name] = decoded.right;
    }
  }
  if (values.ATTACHMENT_STORAGE === 's3' && values.S3_BUCKET === undefined)
    problems.push('S3_BUCKET must be set when ATTACHMENT_STORAGE=s3');
  if (problems.length > 0) throw new ConfigError(problems);

  const embedded = values.DATABASE_URL === undefined;
  return {
    port: values.PORT ?? 3000,
    host: values.HOST ?? (embedded ? '127.0.0.1' : '0.0.0.0'),
    dataDir: values.DATA_DIR ?? '.data',
    databaseUrl: values.DATABASE_URL ?? null,
    databasePoolSize: values.DATABASE_POOL_SIZE ?? 20,
    eventStoreUrl: values.EVENTSTORE_URL ?? null,
    adminToken: values.ADMIN_TOKEN ?? null,
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    // on by default only in the embedded default, where webhooks usually go to localhost
    webhookAllowPrivate: values.WEBHOOK_ALLOW_PRIVATE ?? embedded,
    webhookDelivery: {
      retryScheduleMs:
        values.WEBHOOK_RETRY_SCHEDULE ?? (parseRetrySchedule(DEFAULT_RETRY_SCHEDULE) as number[]),
      timeoutMs: values.WEBHOOK_TIMEOUT_MS ?? 15_000,
      concurrency: values.WEBHOOK_CONCURRENCY ?? 64,
    },
    logLevel: values.LOG_LEVEL ?? 'info',
    limits: {
      bodyBytes: values.MAX_BODY_BYTES ?? 1024 * 1024,
      importBytes: values.MAX_IMPORT_BYTES ?? 32 * 1024 * 1024,
      textBytes: values.MAX_TEXT_BYTES ?? 64 * 1024,
      htmlBytes: values.MAX_HTML_BYTES ?? 256 * 1024,
      attachments: values.MAX_ATTACHMENTS ?? 20,
      integrationDataBytes: values.MAX_INTEGRATION_DATA_BYTES ?? 16 * 1024,
      referenceLength: values.MAX_REFERENCE_LENGTH ?? 512,
      titleLength: values.MAX_TITLE_LENGTH ?? 512,
    },
    defaultPhoneRegion: values.DEFAULT_PHONE_REGION ?? 'RU',
    rateLimit: {
      perSecond: values.RATE_LIMIT_PER_SECOND ?? 100,
      burst: values.RATE_LIMIT_BURST ?? 200,
      // a twentieth of the burst: one PostgreSQL round trip per ~10 requests at the defaults
      lease: Math.min(
        values.RATE_LIMIT_BURST ?? 200,
        values.RATE_LIMIT_LEASE ?? Math.max(1, Math.ceil((values.RATE_LIMIT_BURST ?? 200) / 20)),
      ),
    },
    aggregateCacheSize: values.AGGREGATE_CACHE_SIZE ?? 20_000,
    minPositionTimeoutMs: values.MIN_POSITION_TIMEOUT_MS ?? 5_000,
    audit: { signingKey: values.AUDIT_SIGNING_KEY ?? null, notary: values.AUDIT_NOTARY ?? true },
    masterKey: {
      current: values.PARLEY_MASTER_KEY ?? null,
      previous: values.PARLEY_PREVIOUS_MASTER_KEY ?? null,
    },
    privacyEncryption: values.PRIVACY_ENCRYPTION ?? true,
    attachments: {
      storage: values.ATTACHMENT_STORAGE ?? 'postgres',
      maxBytes: values.ATTACHMENT_MAX_BYTES ?? 25 * 1024 * 1024,
      fetchTimeoutMs: values.ATTACHMENT_FETCH_TIMEOUT_MS ?? 30_000,
      fetchConcurrency: values.ATTACHMENT_FETCH_CONCURRENCY ?? 4,
      retryScheduleMs:
        values.ATTACHMENT_FETCH_RETRY_SCHEDULE ??
        (parseRetrySchedule(DEFAULT_FETCH_RETRY_SCHEDULE) as number[]),
      linkTtlSeconds: values.ATTACHMENT_LINK_TTL_SECONDS ?? 7 * 86_400,
      linkSecret: values.ATTACHMENT_LINK_SECRET ?? null,
      s3: {
        endpoint: values.S3_ENDPOINT ?? null,
        region: values.S3_REGION ?? 'us-east-1',
        bucket: values.S3_BUCKET ?? null,
        accessKeyId: values.S3_ACCESS_KEY_ID ?? null,
        secretAccessKey: values.S3_SECRET_ACCESS_KEY ?? null,
        // MinIO, s3rver and most self-hosted servers want bucket-in-path addresses
        forcePathStyle: values.S3_FORCE_PATH_STYLE ?? values.S3_ENDPOINT !== undefined,
      },
    },
  };
};

/** Attachment fetches: now, then for about a day, then the file is recorded as failed. */
export const DEFAULT_FETCH_RETRY_SCHEDULE = '0,5s,1m,10m,1h,6h,24h';

/** The variables and their meaning, for `--help` and the README table. */
export const configVariables = Object.keys(variables) as (keyof typeof variables)[];
