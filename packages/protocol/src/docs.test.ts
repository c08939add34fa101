import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_SCHEMAS, SERVER_SCHEMAS } from './messages.ts';
import { checkClientMessage, checkServerMessage } from './validate.ts';

const doc = readFileSync(new URL('../../../docs/PROTOCOL.md', import.meta.url), 'utf8');

/** The JSON examples under each `### \`type\`` heading of a section. */
function examples(section: string): Map<string, unknown[]> {
  const start = doc.indexOf(`## ${section}`);
  const next = doc.indexOf('\n## ', start + 1);
  const text = doc.slice(start, next < 0 ? undefined : next);
  const found = new Map<string, unknown[]>();
  for (const part of text.split('\n### `').slice(1)) {
    const type = part.slice(0, part.indexOf('`'));
    const blocks = [...part.matchAll(/```json\n([\s\S]*?)\n```/g)].map(
      (m) => JSON.parse(m[1] as string) as unknown,
    );
    found.set(type, blocks);
  }
  return found;
}

describe('docs/PROTOCOL.md', () => {
  it('documents every client message with examples that pass its schema', () => {
    const found = examples('Client messages');
    expect([...found.keys()].sort()).toEqual(Object.keys(CLIENT_SCHEMAS).sort());
    for (const [type, blocks] of found) {
      expect(blocks.length, type).toBeGreaterThan(0);
      for (const b of blocks)
        expect(checkClientMessage(b), JSON.stringify(b)).toMatchObject({ ok: true, message: { type } });
    }
  });

  it('documents every server message with examples that pass its schema', () => {
    const found = examples('Server messages');
    expect([...found.keys()].sort()).toEqual(Object.keys(SERVER_SCHEMAS).sort());
    for (const [type, blocks] of found) {
      expect(blocks.length, type).toBeGreaterThan(0);
      for (const b of blocks)
        expect(checkServerMessage(b), JSON.stringify(b)).toMatchObject({ ok: true, message: { type } });
    }
  });
});
