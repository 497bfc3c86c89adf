import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

// Never log secrets or identity numbers: cookies, CSRF headers, and the query strings of one-time links.
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Drops query values that may hold tokens or personal data; keeps the path and the parameter names. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const names = [...new Set(params.keys())].map((k) => `${k}=…`).join('&');
  return `${url.slice(0, q)}?${names}`;
}
