import { describe, expect, it } from 'vitest';
import { reviewPath, reviewSessionOf } from './route.ts';

describe('the review address', () => {
  it('names a session, and nothing else', () => {
    expect(reviewSessionOf('/review/Ab-9_x')).toBe('Ab-9_x');
    expect(reviewSessionOf('/review/abc/')).toBe('abc');
    expect(reviewSessionOf(reviewPath('abc'))).toBe('abc');
    for (const path of [
      '/review',
      '/review/',
      '/review/a/b',
      '/review/a.b',
      '/reviews/abc',
      `/review/${'a'.repeat(65)}`,
    ])
      expect(reviewSessionOf(path), path).toBeNull();
  });
});
