import { ConfigError, loadConfig } from './infrastructure/config';
import { createLogger } from './infrastructure/logger';
import { startParley } from './infrastructure/parley';
import { banner } from './infrastructure/banner';
import { MasterKeyError } from './infrastructure/keys/masterKey';

/** `npm start`: configuration, then everything in one process, then an orderly stop on a signal. */
const main = async (): Promise<void> => {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`parley: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );

  // the handlers go on before the start: the server answers /readyz before startParley has
  // resolved, and a signal in that window would otherwise kill the process with nothing closed
  // (the embedded PostgreSQL left running)
  const starting = startParley(config, logger);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    starting
      .then((parley) => parley.close())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const parley = await starting;
  logger.info(
    { url: parley.url, firstChannel: parley.firstChannel?.channelId },
    'Parley is listening',
  );
  process.stdout.write(banner(parley));
};

main().catch((error: unknown) => {
  if (error instanceof MasterKeyError) {
    process.stderr.write(`parley: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `parley: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
