import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Anything that could carry a secret is redacted by key name.
 * `destination`: stdout by default; tests pass a stream to read what would be logged.
 */
export function createLogger(level: string, name = 'api', destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: [
          '*.password',
          '*.token',
          '*.secret',
          '*.accessToken',
          'req.headers.authorization',
          'req.headers.cookie',
          'variables.input.password',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
