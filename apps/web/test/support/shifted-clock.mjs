/**
 * Loaded before the studio (`node --import`) by browser tests that need its wall clock moved: days
 * pass for links to expire without waiting for them. `Date.now` answers the real time plus the
 * milliseconds written in the file named by ATTUNE_TEST_CLOCK_FILE, read again at most every 20 ms.
 * Plain JavaScript, so it loads before the TypeScript loader does.
 */
import { readFileSync } from 'node:fs';

const file = process.env.ATTUNE_TEST_CLOCK_FILE;
if (file) {
  const real = Date.now.bind(Date);
  let offset = 0;
  let readAt = Number.NEGATIVE_INFINITY;
  Date.now = () => {
    const now = real();
    if (now - readAt >= 20) {
      readAt = now;
      try {
        offset = Number(readFileSync(file, 'utf8').trim()) || 0;
      } catch {
        offset = 0;
      }
    }
    return now + offset;
  };
}
