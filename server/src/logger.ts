import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Anything that could carry a secret is redacted by key name. */
export function createLogger(level: string, name = 'api'): Logger {
  return pino({
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
  });
}
