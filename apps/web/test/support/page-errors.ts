/**
 * What went wrong in a page, collected for a test to expect none of: uncaught exceptions and, by
 * default, errors the page logged to the console.
 */
import type { Page } from 'playwright-core';

/** Which console errors count, for {@link collectErrors}. */
export interface ErrorOptions {
  /** Whether errors logged to the console count too (they do unless this is `false`). */
  readonly console?: boolean;
  /** Console errors whose text matches this are expected (a refusal the test asks for) and left out. */
  readonly ignore?: RegExp;
  /** Whether a console error is followed by the address of the script that logged it. */
  readonly where?: boolean;
}

/** Adds to `errors` every uncaught exception in `page` and, as `options` say, its console errors. */
export function collectErrors(page: Page, errors: string[], options: ErrorOptions = {}): void {
  page.on('pageerror', (error) => errors.push(error.message));
  if (options.console === false) return;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (options.ignore?.test(text)) return;
    errors.push(options.where ? `${text} ${message.location().url}` : text);
  });
}
