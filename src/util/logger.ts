import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'text' | 'json';
  /** Where lines go; stderr by default so stdout stays clean for --json output. */
  write?: (line: string) => void;
  /** Fixed fields on every line (e.g. server id). */
  base?: Record<string, unknown>;
}

/**
 * One line per event: `2026-11-22T10:00:00.000Z info txn.committed label=... attempts=2`
 * or a JSON object per line. Every line is redacted before it is written.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const format = options.format ?? 'text';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = options.base ?? {};
  const emit = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < min) return;
    const all = { ...base, ...fields };
    const time = new Date().toISOString();
    const line =
      format === 'json'
        ? JSON.stringify({ time, level, event, ...all })
        : [time, level, event, ...Object.entries(all).map(([k, v]) => `${k}=${formatValue(v)}`)].join(' ');
    write(redact(line));
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /^[\w.:/@+-]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? 'undefined';
}

/** A logger that drops everything; the default where the caller did not ask for logs. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
