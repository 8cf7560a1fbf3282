import { ConfigError, loadConfig } from './config';

const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};

describe('configuration', () => {
  it('runs the embedded default with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '.data',
      databaseUrl: null,
      eventStoreUrl: null,
      adminToken: null,
      webhookAllowPrivate: true,
      logLevel: 'info',
    });
    expect(config.limits).toEqual({
      bodyBytes: 1048576,
      importBytes: 32 * 1024 * 1024,
      textBytes: 65536,
      htmlBytes: 262144,
      attachments: 20,
      integrationDataBytes: 16384,
      referenceLength: 512,
      titleLength: 512,
    });
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/parley',
      DATABASE_URL: 'postgres://u:p@db:5432/parley',
      EVENTSTORE_URL: 'esdb://esdb:2113?tls=false',
      ADMIN_TOKEN: 'a-very-long-admin-token',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'debug',
      PUBLIC_URL: 'https://parley.example.com/',
      MAX_ATTACHMENTS: '5',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/parley',
      databaseUrl: 'postgres://u:p@db:5432/parley',
      eventStoreUrl: 'esdb://esdb:2113?tls=false',
      adminToken: 'a-very-long-admin-token',
      webhookAllowPrivate: true,
      logLevel: 'debug',
      publicUrl: 'https://parley.example.com',
    });
    expect(config.limits.attachments).toBe(5);
  });

  it('refuses private webhook targets by default outside the embedded default', () =>
    expect(loadConfig({ DATABASE_URL: 'postgres://db/parley' }).webhookAllowPrivate).toBe(false));

  it('delivers webhooks on the Standard Webhooks schedule, 15 s timeout, unless told otherwise', () => {
    expect(loadConfig({}).webhookDelivery).toEqual({
      retryScheduleMs: [
        0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000,
        86_400_000,
      ],
      timeoutMs: 15_000,
      concurrency: 64,
    });
    expect(
      loadConfig({
        WEBHOOK_RETRY_SCHEDULE: '0,50ms,1s',
        WEBHOOK_TIMEOUT_MS: '2000',
        WEBHOOK_CONCURRENCY: '0',
      }).webhookDelivery,
    ).toEqual({ retryScheduleMs: [0, 50, 1_000], timeoutMs: 2_000, concurrency: 0 });
    expect(problems({ WEBHOOK_RETRY_SCHEDULE: 'soon, later' })[0]).toMatch(
      /^WEBHOOK_RETRY_SCHEDULE must be delays like/,
    );
  });

  it('names every bad variable at once', () => {
    const found = problems({
      PORT: 'eighty',
      EVENTSTORE_URL: 'http://esdb:2113',
      LOG_LEVEL: 'loud',
    });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^PORT must be an integer from 0 to 65535, got "eighty"/);
    expect(found.join('\n')).toMatch(/EVENTSTORE_URL must be a URL starting with esdb:\/\//);
    expect(found.join('\n')).toMatch(/LOG_LEVEL/);
  });

  it('never prints a secret it refuses', () => {
    const [problem] = problems({ ADMIN_TOKEN: 'short' });
    expect(problem).toMatch(/ADMIN_TOKEN/);
    expect(problem).not.toMatch(/short/);
  });

  it('refuses ports out of range and non-numbers', () => {
    expect(problems({ PORT: '70000' })).toHaveLength(1);
    expect(problems({ PORT: '-1' })).toHaveLength(1);
    expect(problems({ PORT: '3000.5' })).toHaveLength(1);
  });
});
