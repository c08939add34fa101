/**
 * The rendered clips of shares: each rendered once, on first play, into `<folder>/<share>.wav`
 * and kept until its share is revoked, expires, loses consent or is erased. Renders run one at a
 * time (the studio has two cores and live rooms come first); a clip asked for twice while it
 * renders is rendered once. A file is written under a temporary name and renamed when whole, so
 * a family never gets half a clip.
 */
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Renders a span of a session to a WAV file at `path`. */
export type RenderClip = (session: string, from: number, to: number, path: string) => Promise<void>;

/** The folder of rendered clips and the one queue that renders them. */
export class ClipFiles {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    readonly folder: string,
    private readonly render: RenderClip,
  ) {}

  /** Where a share's clip lives once rendered. */
  pathOf(share: string): string {
    return join(this.folder, `${share}.wav`);
  }

  /** The path of a share's clip, rendering it first if it is not there yet. */
  ensure(share: { id: string; session: string; from: number; to: number }): Promise<string> {
    const path = this.pathOf(share.id);
    if (exists(path)) return Promise.resolve(path);
    const running = this.pending.get(share.id);
    if (running) return running;
    const job = this.queue.then(async () => {
      mkdirSync(this.folder, { recursive: true });
      const partial = `${path}.part`;
      try {
        await this.render(share.session, share.from, share.to, partial);
        renameSync(partial, path);
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
      return path;
    });
    this.queue = job.catch(() => undefined);
    const tracked = job.finally(() => this.pending.delete(share.id));
    this.pending.set(share.id, tracked);
    return tracked;
  }
}

/** Removes clip files (those already gone are no matter). */
export function removeClips(paths: Iterable<string | null>): void {
  for (const path of paths) if (path) rmSync(path, { force: true });
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
