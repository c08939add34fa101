import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, type Frame } from './wire.ts';

const hello =
  '{"type":"hello","protocol":1,"role":"participant","room":"ABC234","device":"Tablet by the window"}';

describe('frames between instances', () => {
  const frames: Frame[] = [
    { kind: 'open', conn: 'i1.0', from: 'i1', peer: '::ffff:10.0.0.7', text: hello },
    { kind: 'open', conn: 'i1.1', from: 'i1', peer: 'a proxy, said "x"', text: hello },
    { kind: 'open', conn: 'i1.2', from: 'i1', peer: '', text: '' },
    { kind: 'up', conn: 'i1.0', text: '{"type":"ping","id":1,"t0":0.5}' },
    { kind: 'up', conn: 'i1.0', text: '' },
    { kind: 'gone', conn: 'i1.0' },
    { kind: 'down', conns: ['i1.0'], text: '{"type":"relay","note":"with  two spaces "}' },
    { kind: 'down', conns: ['i1.0', 'i1.7', 'i1.a'], text: '{"type":"companion"}' },
    { kind: 'close', conn: 'i1.0', code: 1001, reason: 'the studio is restarting' },
    { kind: 'close', conn: 'i1.0', code: 1008, reason: '' },
    { kind: 'end', id: 'q9', from: 'i2', session: 'Zk3_-a' },
    { kind: 'ended', id: 'q9', error: '' },
    { kind: 'ended', id: 'q9', error: 'busy' },
    { kind: 'reset', from: 'i2' },
  ];

  it('carries every kind and its text exactly, spaces and all', () => {
    for (const frame of frames) expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('keeps the device text as written, behind a short header', () => {
    expect(encodeFrame({ kind: 'up', conn: 'i1.0', text: hello })).toBe(`u i1.0 ${hello}`);
  });

  it('refuses to write an identifier that would break the header', () => {
    expect(() => encodeFrame({ kind: 'gone', conn: 'two words' })).toThrow(/conn must be one word/);
    expect(() => encodeFrame({ kind: 'down', conns: ['a,b'], text: '' })).toThrow(/conn must have no comma/);
    expect(() => encodeFrame({ kind: 'down', conns: [], text: '' })).toThrow(/needs a connection/);
    expect(() => encodeFrame({ kind: 'end', id: '', from: 'i2', session: 's' })).toThrow(
      /id must be one word/,
    );
  });

  it('reads anything else as no frame', () => {
    for (const text of [
      '',
      'x i1.0 text',
      'u',
      'uX',
      'u  text',
      'g i1.0 extra',
      'c i1.0 abc reason',
      'c i1.0 99999 reason',
      'e q9 i2',
      'e q9 i2 s extra',
      'o i1.0 i1 %E0%A4%A hello',
      'o i1.0',
      'x',
      'd i1.0,,i1.2 {}',
      'd ,i1.0 {}',
      'x i2 more',
    ])
      expect(decodeFrame(text), text).toBeNull();
  });
});
