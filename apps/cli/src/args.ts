/**
 * Option parsing for the `attune` commands, on top of node:util's parseArgs, turning its errors
 * and bad values into one-line `CliError`s (exit status 2, as for any usage error).
 */
import { parseArgs } from 'node:util';
import { CliError } from './io.ts';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The parsed options (strings and booleans) and positional arguments of a command. */
export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
}

/** Parses `args` against `options`, refusing unknown options and missing values. */
export function parse(args: readonly string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(message.split('\n')[0] ?? 'bad options', 2);
  }
}

/** The single positional argument a command needs (e.g. FILE.mid). */
export function onePositional(parsed: Parsed, what: string): string {
  const [first, ...extra] = parsed.positionals;
  if (first === undefined) throw new CliError(`missing ${what}`, 2);
  if (extra.length > 0) throw new CliError(`unexpected argument '${extra[0]}'`, 2);
  return first;
}

/** An optional whole-number option within [min, max]. */
export function intOption(parsed: Parsed, name: string, min: number, max: number): number | undefined {
  const raw = parsed.values[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got: ${String(raw)}`, 2);
  }
  return value;
}

/** An optional number option within [min, max]. */
export function numberOption(parsed: Parsed, name: string, min: number, max: number): number | undefined {
  const raw = parsed.values[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new CliError(`--${name} must be a number from ${min} to ${max}, got: ${String(raw)}`, 2);
  }
  return value;
}
