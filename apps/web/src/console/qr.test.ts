import { describe, expect, it } from 'vitest';
import { QUIET_ZONE, qrPicture } from './qr.ts';

/** Whether a 7×7 finder pattern (dark ring, light ring, dark 3×3 centre) sits at row r, column c. */
function finderAt(m: readonly (readonly boolean[])[], r: number, c: number): boolean {
  for (let y = 0; y < 7; y++) {
    for (let x = 0; x < 7; x++) {
      const ring = Math.max(Math.abs(y - 3), Math.abs(x - 3));
      const dark = ring !== 2;
      if (m[r + y]?.[c + x] !== dark) return false;
    }
  }
  return true;
}

describe('the join link as a QR code', () => {
  const link = 'http://192.168.1.20:8080/join/K7QP2M';
  const picture = qrPicture(link);

  it('has the three finder patterns in its corners and a quiet zone around it', () => {
    const n = picture.modules.length;
    expect(n).toBeGreaterThanOrEqual(21);
    expect((n - 17) % 4).toBe(0);
    expect(finderAt(picture.modules, 0, 0)).toBe(true);
    expect(finderAt(picture.modules, 0, n - 7)).toBe(true);
    expect(finderAt(picture.modules, n - 7, 0)).toBe(true);
    expect(finderAt(picture.modules, n - 7, n - 7)).toBe(false);
    expect(picture.size).toBe(n + 2 * QUIET_ZONE);
  });

  it('draws exactly the dark modules, each as one unit square inside the margin', () => {
    const squares = [...picture.path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)];
    const dark = picture.modules.flat().filter(Boolean).length;
    expect(squares.length).toBe(dark);
    expect(picture.path).toBe(squares.map((s) => s[0]).join(''));
    for (const [, x, y] of squares) {
      const [c, r] = [Number(x) - QUIET_ZONE, Number(y) - QUIET_ZONE];
      expect(picture.modules[r]?.[c]).toBe(true);
    }
  });

  it('differs for another code, and grows for a longer link', () => {
    expect(qrPicture('http://192.168.1.20:8080/join/K7QP2N').path).not.toBe(picture.path);
    expect(qrPicture(`${link}?${'x'.repeat(200)}`).modules.length).toBeGreaterThan(picture.modules.length);
  });
});
