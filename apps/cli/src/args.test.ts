import { describe, expect, it } from 'vitest';
import { intOption, numberOption, onePositional, parse } from './args.ts';
import { CliError } from './io.ts';

const spec = { track: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('args', () => {
  it('parses options and the file', () => {
    const parsed = parse(['a.mid', '--track', '2', '--json'], spec);
    expect(onePositional(parsed, 'FILE.mid')).toBe('a.mid');
    expect(intOption(parsed, 'track', 0, 10)).toBe(2);
    expect(parsed.values.json).toBe(true);
  });
  it('refuses unknown options and missing values as usage errors', () => {
    expect(() => parse(['--colour'], spec)).toThrow(CliError);
    expect(() => parse(['--colour'], spec)).toThrow(/colour/);
    expect(() => parse(['a.mid', '--track'], spec)).toThrow(/track/);
  });
  it('refuses a missing or extra file', () => {
    expect(() => onePositional(parse([], spec), 'FILE.mid')).toThrow('missing FILE.mid');
    expect(() => onePositional(parse(['a', 'b'], spec), 'FILE.mid')).toThrow("unexpected argument 'b'");
  });
  it('refuses numbers out of range or not numbers, naming the value', () => {
    expect(() => intOption(parse(['--track', 'x'], spec), 'track', 0, 10)).toThrow('got: x');
    expect(() => intOption(parse(['--track', '1.5'], spec), 'track', 0, 10)).toThrow('got: 1.5');
    expect(() => intOption(parse(['--track', '11'], spec), 'track', 0, 10)).toThrow('got: 11');
    expect(() => numberOption(parse(['--track', ''], spec), 'track', 0, 1)).toThrow('got: ');
    expect(numberOption(parse(['--track', '0.5'], spec), 'track', 0, 1)).toBe(0.5);
  });
});
