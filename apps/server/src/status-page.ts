/** The page the studio serves while the live console is being built: what exists, and how to use it. */
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
  .play a { display: inline-block; font-size: 1.25rem; font-weight: 600; color: #fff; background: #23527c; padding: 0.75rem 1.5rem; border-radius: 0.5rem; text-decoration: none; }
  .play a:focus-visible { outline: 3px solid #f2c200; outline-offset: 3px; }
</style>
</head>
<body>
<main>
<h1>Attune</h1>
<p>A studio for music-centred, improvisational music therapy.</p>
<p class="play"><a href="/play/">Play now</a>: large, scale-locked pads and piano keys on this
device, with Attune's companion playing along.</p>
<h2>What works today</h2>
<p>The engine that listens: from a stream of notes and hits it follows the pulse, the key or mode,
loudness, density, register, phrases and silences; and the companion that plays with a client in
ten idioms, by the techniques therapists name (synchronise, match, reflect, ground, frame,
dialogue, make space, lead, calm, intensify). Researchers can run both on MIDI files from the
command line:</p>
<pre>npx attune beats performance.mid --json
npx attune key performance.mid
npx attune analyze session.mid --json
npx attune accompany client.mid --technique synchronise,match --out duet.mid
npx attune render duet.mid --out duet.wav</pre>
<h2 id="about">About</h2>
<p>Attune's code is MIT licensed. Its instruments are made from freely licensed samples shipped
with the studio, never fetched from the network: the <strong>Salamander Grand Piano V3</strong> by
Alexander Holm (CC BY 3.0) and the <strong>FluidR3 Mono</strong> General MIDI SoundFont (MIT).</p>
<h2>Coming next</h2>
<p>Live sessions with a therapist's console and players on
their own devices, and review, assessment and client records.</p>
</main>
</body>
</html>
`;
}
