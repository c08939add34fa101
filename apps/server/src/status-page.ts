/**
 * The page the studio shows when the web app has not been built: what Attune is, and the one
 * command that makes the app.
 */
export function statusPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Attune</title>
<style>
  body { font: 18px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1.5rem; color: #1b1b1f; background: #fbfaf7; }
  h1 { font-size: 2rem; margin-bottom: 0.25rem; }
  code, pre { font: 15px ui-monospace, monospace; background: #efece4; border-radius: 4px; padding: 0.1rem 0.3rem; }
  pre { padding: 0.75rem 1rem; overflow-x: auto; }
</style>
</head>
<body>
<main>
<h1>Attune</h1>
<p>A studio for music-centred, improvisational music therapy.</p>
<h2>The web app is not built yet</h2>
<p>The studio server is running, but the pages therapists and clients use have not been built.
Build them once (<code>npm start</code> does this for you) and reload this page:</p>
<pre>npm run build -w @attune/web</pre>
<p>The studio's API answers at <code>/api/state</code> and live rooms at <code>/ws</code>; see
<code>docs/PROTOCOL.md</code>.</p>
<h2>Without the web app</h2>
<p>Researchers can run Attune's listening engine and companion on MIDI files from the command line:</p>
<pre>npx attune beats performance.mid --json
npx attune key performance.mid
npx attune analyze session.mid --json
npx attune accompany client.mid --technique synchronise,match --out duet.mid
npx attune render duet.mid --out duet.wav</pre>
<h2>About</h2>
<p>Attune's code is MIT licensed. Its instruments are made from freely licensed samples shipped
with the studio, never fetched from the network: the <strong>Salamander Grand Piano V3</strong> by
Alexander Holm (CC BY 3.0) and the <strong>FluidR3 Mono</strong> General MIDI SoundFont (MIT).</p>
</main>
</body>
</html>
`;
}
