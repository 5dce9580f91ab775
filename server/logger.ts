import pino from 'pino';

// Keys whose values must never reach a log line, wherever they sit in the logged object.
const redactPaths = ['password', 'token', 'secret', 'authorization', 'cookie', '*.password', '*.token', '*.secret',
  '*.authorization', '*.cookie', 'headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie'];

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'switchyard' },
  redact: { paths: redactPaths, censor: '[redacted]' },
  timestamp: pino.stdTimeFunctions.isoTime,
});
