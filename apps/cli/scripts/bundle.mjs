#!/usr/bin/env node
/**
 * Prebuilds the `attune` command into dist/: one JavaScript file for the command and one for its
 * listening threads, so the command starts in Node without compiling TypeScript first (about half
 * a second saved on every run). Run at `npm install` (the root `prepare` script) and by
 * `npm run build:cli`. dist/inputs.json lists every source file bundled: bin/attune.js uses the
 * bundle only while none of them is newer, and runs the sources through tsx otherwise.
 *
 * Each bundled module keeps its own source location as `import.meta.url`, so the files it finds
 * beside itself (the mixing thread of `attune render`, the SoundFont) are found as before.
 */
import { renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(cli, '../..');
const entry = join(cli, 'src', 'bundle.ts');

/**
 * Builds into `out` (apps/cli/dist by default) through a temporary folder beside it, so a running
 * command never sees half a bundle. Returns false when esbuild is not installed.
 */
export async function bundle({ out = join(cli, 'dist'), quiet = false } = {}) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    if (!quiet)
      console.warn('attune: esbuild is not installed; the command will run its sources through tsx');
    return false;
  }
  const temp = `${out}.${process.pid}.tmp`;
  // The workspace's packages are bundled; other packages are loaded from node_modules as before.
  const workspaceOnly = {
    name: 'workspace-only',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('@attune/') || args.path.startsWith('node:')
          ? undefined
          : { path: args.path, external: true },
      );
    },
  };
  const ownUrl = {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const { readFile } = await import('node:fs/promises');
        let contents = await readFile(args.path, 'utf8');
        if (args.path !== entry && contents.includes('import.meta.url')) {
          const back = relative(out, args.path).split('\\').join('/');
          contents = contents.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(back)}, import.meta.url).href`,
          );
        }
        return { contents, loader: 'ts' };
      });
    },
  };
  // The bundle is dated when its sources were read, so a source saved during the build makes it stale.
  const started = new Date();
  let result;
  try {
    result = await esbuild.build({
      entryPoints: { attune: entry, 'listen-worker': join(cli, 'src', 'listening', 'worker.ts') },
      outdir: temp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      // Modules loaded on demand (the audio engine of `attune render`) stay in files of their own.
      splitting: true,
      target: 'node20',
      metafile: true,
      logLevel: quiet ? 'silent' : 'warning',
      plugins: [workspaceOnly, ownUrl],
      absWorkingDir: root,
      banner: { js: '// Built by apps/cli/scripts/bundle.mjs from the TypeScript sources; do not edit.' },
    });
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  // Relative to the package folder, where bin/attune.js looks them up.
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(cli, resolve(root, p)));
  inputs.push(relative(cli, fileURLToPath(import.meta.url)));
  writeFileSync(join(temp, 'inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
  utimesSync(join(temp, 'attune.js'), started, started);
  rmSync(out, { recursive: true, force: true });
  renameSync(temp, out);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // At install (--optional) a failed build is not fatal: the command then runs its sources.
  const optional = process.argv.includes('--optional');
  let built = false;
  try {
    built = await bundle();
  } catch (error) {
    if (!optional) throw error;
    console.warn(
      `attune: could not prebuild the command (${error.message.split('\n')[0]}); it will run its sources through tsx`,
    );
  }
  process.exitCode = built || optional ? 0 : 1;
}
