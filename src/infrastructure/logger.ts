import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; secrets never reach them (see `redact`). */
export const createLogger = (level: string, destination?: pino.DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service: 'parley' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'token',
          '*.token',
          'secret',
          '*.secret',
          'adminToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
