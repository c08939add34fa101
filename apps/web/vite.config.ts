import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { attuneSounds } from './build/sounds.ts';

export default defineConfig({
  // Absolute: the app is served at nested paths (/console/:id, /join/:code) that must all load /assets.
  base: '/',
  plugins: [svelte(), attuneSounds()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
