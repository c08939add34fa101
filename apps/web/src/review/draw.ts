/**
 * Draws the review timeline on a canvas: the ruler, marks as flags and spans, steering markers,
 * each lane's playing (piano-roll notes, percussion hits, the voice's pitch contour), the
 * companion's voices, the measure curves and the selection. Only what lies in the view is asked of
 * the timeline (its window queries). The playhead is drawn over the canvas by the page, so a
 * replay moving it redraws nothing until the view itself moves.
 */
import type { LaneHit, LaneNote, Mark, ParticipantCurves, Timeline } from '@attune/engine';
import type { Row } from './layout.ts';
import { tickStep, timeLabel, type View, xOf } from './view.ts';

/** What a frame shows. */
export interface Frame {
  readonly timeline: Timeline;
  readonly rows: readonly Row[];
  readonly view: View;
  readonly width: number;
  readonly height: number;
  readonly selection: View | null;
  readonly selectedMark: string | null;
  readonly curves: readonly ParticipantCurves[] | null;
  /** Lane colours by participant id, for the curves. */
  readonly colours: ReadonlyMap<string, string>;
}

const INK = '#17212b';
const SOFT = '#465260';
const LINE = '#e4dfd3';
const MARK = '#b7791f';
const MARK_ON = '#8a5300';

function pitchY(row: Row, pitch: number): number {
  const [lo, hi] = row.pitches ?? [48, 72];
  const pad = 6;
  return row.y + pad + (1 - (pitch - lo) / Math.max(1, hi - lo)) * (row.height - 2 * pad);
}

/** Draws one frame. */
export function drawFrame(ctx: CanvasRenderingContext2D, f: Frame): void {
  const { view, width, height } = f;
  const x = (t: number) => xOf(t, view, width);
  const pxPerSec = width / (view.to - view.from);
  ctx.clearRect(0, 0, width, height);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';

  // Row backgrounds and separators.
  for (const row of f.rows) {
    if (row.kind === 'lane' || row.kind === 'companion' || row.kind === 'curve') {
      ctx.fillStyle = row.kind === 'companion' ? '#f7f5ef' : '#fbfaf6';
      ctx.fillRect(0, row.y + 1, width, row.height - 2);
    }
    ctx.fillStyle = LINE;
    ctx.fillRect(0, row.y + row.height - 1, width, 1);
  }

  // Ruler: ticks and labels, and faint grid lines down the lanes.
  const step = tickStep(view, width);
  const decimals = step < 1 ? (step < 0.1 ? 2 : 1) : 0;
  const ruler = f.rows.find((r) => r.kind === 'ruler');
  for (let t = Math.ceil(view.from / step) * step; t < view.to; t += step) {
    const tx = Math.round(x(t)) + 0.5;
    ctx.fillStyle = '#efebe2';
    ctx.fillRect(tx - 0.5, ruler ? ruler.y + ruler.height : 0, 1, height);
    if (ruler) {
      ctx.fillStyle = SOFT;
      ctx.fillRect(tx - 0.5, ruler.y + ruler.height - 8, 1, 7);
      ctx.fillText(timeLabel(t, decimals), tx + 4, ruler.y + ruler.height / 2 - 2);
    }
  }

  const w = f.timeline.window(view.from, view.to);

  // Selection band.
  if (f.selection) {
    ctx.fillStyle = 'rgba(42, 106, 110, 0.14)';
    const a = x(f.selection.from);
    ctx.fillRect(a, 0, Math.max(1, x(f.selection.to) - a), height);
  }

  for (const row of f.rows) {
    if (row.kind === 'lane') {
      const lane = w.participants.find((p) => p.participant === row.id);
      if (!lane) continue;
      ctx.fillStyle = row.colour;
      const h = Math.max(
        2,
        Math.min(7, (row.height - 12) / Math.max(1, (row.pitches?.[1] ?? 72) - (row.pitches?.[0] ?? 48))),
      );
      drawNotes(ctx, lane.notes, row, x, pxPerSec, width, h);
      drawHits(ctx, lane.hits, row, x, width);
      if (lane.voice.length > 0) {
        const points = f.timeline.contour(row.id, view.from, view.to, Math.max(1, Math.floor(width / 2)));
        ctx.strokeStyle = row.colour;
        ctx.lineWidth = 2;
        ctx.lineCap = 'round';
        for (const p of points) {
          if (p.low === null || p.high === null) continue;
          ctx.globalAlpha = 0.35 + Math.min(1, p.loudness * 2) * 0.65;
          const px = x(p.t);
          ctx.beginPath();
          ctx.moveTo(px, pitchY(row, p.low) + 1);
          ctx.lineTo(px, pitchY(row, p.high) - 1);
          ctx.stroke();
        }
        ctx.globalAlpha = 1;
      }
    } else if (row.kind === 'companion') {
      const lane = w.companion.find((c) => `companion:${c.voice}` === row.id);
      if (!lane) continue;
      ctx.fillStyle = row.colour;
      drawNotes(ctx, lane.notes, row, x, pxPerSec, width, 3);
    } else if (row.kind === 'steering') {
      let free = Number.NEGATIVE_INFINITY;
      for (const s of w.steering) {
        const sx = x(s.t);
        ctx.fillStyle = SOFT;
        ctx.beginPath();
        ctx.moveTo(sx, row.y + 5);
        ctx.lineTo(sx + 5, row.y + row.height / 2);
        ctx.lineTo(sx, row.y + row.height - 5);
        ctx.lineTo(sx - 5, row.y + row.height / 2);
        ctx.fill();
        if (sx + 8 > free) {
          ctx.fillStyle = INK;
          ctx.fillText(s.label, sx + 8, row.y + row.height / 2);
          free = sx + 8 + ctx.measureText(s.label).width + 12;
        }
      }
    } else if (row.kind === 'curve' && f.curves) {
      drawCurve(ctx, f, row, x);
    }
  }

  drawMarks(ctx, f, w.marks, x);
}

/** Beyond this many notes per pixel across, a lane is drawn as runs of occupied pixels. */
const DENSE = 1;

/**
 * A lane's notes as a piano roll: each note a bar at its pitch, lighter when soft. When there are
 * more notes than pixels across (an hour in one view), the lane is drawn as runs of pixels where
 * some note of a pitch sounds, so drawing costs the pixels, not the notes.
 */
function drawNotes(
  ctx: CanvasRenderingContext2D,
  notes: readonly LaneNote[],
  row: Row,
  x: (t: number) => number,
  pxPerSec: number,
  width: number,
  h: number,
): void {
  if (notes.length <= width * DENSE) {
    for (const n of notes) {
      ctx.globalAlpha = 0.45 + (n.velocity / 127) * 0.55;
      ctx.fillRect(x(n.t), pitchY(row, n.pitch) - h / 2, Math.max(2, n.duration * pxPerSec), h);
    }
    ctx.globalAlpha = 1;
    return;
  }
  const [lo, hi] = row.pitches ?? [48, 72];
  const pitches = hi - lo + 1;
  const cols = Math.ceil(width);
  const on = new Uint8Array(cols * pitches);
  for (const n of notes) {
    const p = Math.round(n.pitch) - lo;
    if (p < 0 || p >= pitches) continue;
    const start = x(n.t);
    const a = Math.max(0, Math.floor(start));
    const b = Math.min(cols - 1, Math.floor(start + Math.max(1, n.duration * pxPerSec)));
    for (let c = a; c <= b; c++) on[p * cols + c] = 1;
  }
  ctx.globalAlpha = 0.8;
  for (let p = 0; p < pitches; p++) {
    const y = pitchY(row, lo + p) - h / 2;
    let start = -1;
    for (let c = 0; c <= cols; c++) {
      const filled = c < cols && on[p * cols + c] === 1;
      if (filled && start < 0) start = c;
      else if (!filled && start >= 0) {
        ctx.fillRect(start, y, c - start, h);
        start = -1;
      }
    }
  }
  ctx.globalAlpha = 1;
}

/** Percussion hits as strokes from the lane's floor, taller when louder; one per pixel when dense. */
function drawHits(
  ctx: CanvasRenderingContext2D,
  hits: readonly LaneHit[],
  row: Row,
  x: (t: number) => number,
  width: number,
): void {
  const len = (velocity: number) => (row.height - 14) * (0.35 + (velocity / 127) * 0.65);
  if (hits.length <= width * DENSE) {
    for (const hit of hits)
      ctx.fillRect(Math.round(x(hit.t)), row.y + row.height - 6 - len(hit.velocity), 2, len(hit.velocity));
    return;
  }
  const cols = Math.ceil(width);
  const loudest = new Uint8Array(cols);
  for (const hit of hits) {
    const c = Math.floor(x(hit.t));
    if (c >= 0 && c < cols && hit.velocity > (loudest[c] as number)) loudest[c] = hit.velocity;
  }
  for (let c = 0; c < cols; c++) {
    const v = loudest[c] as number;
    if (v > 0) ctx.fillRect(c, row.y + row.height - 6 - len(v), 1, len(v));
  }
}

function drawMarks(
  ctx: CanvasRenderingContext2D,
  f: Frame,
  marks: readonly Mark[],
  x: (t: number) => number,
): void {
  const row = f.rows.find((r) => r.kind === 'marks');
  if (!row) return;
  const top = row.y + row.height;
  let free = Number.NEGATIVE_INFINITY;
  for (const mark of marks) {
    const on = mark.id === f.selectedMark;
    const colour = on ? MARK_ON : MARK;
    const mx = x(mark.t);
    if (mark.end !== null) {
      const ex = x(mark.end);
      ctx.fillStyle = on ? 'rgba(183, 121, 31, 0.20)' : 'rgba(183, 121, 31, 0.10)';
      ctx.fillRect(mx, top, Math.max(2, ex - mx), f.height - top);
      ctx.fillStyle = colour;
      ctx.fillRect(mx, row.y + row.height - 9, Math.max(2, ex - mx), 6);
    }
    ctx.fillStyle = colour;
    ctx.fillRect(Math.round(mx), row.y + 4, on ? 3 : 2, f.height - row.y - 4);
    // The flag.
    ctx.beginPath();
    ctx.moveTo(mx + 1, row.y + 4);
    ctx.lineTo(mx + 13, row.y + 9);
    ctx.lineTo(mx + 1, row.y + 14);
    ctx.fill();
    const text = mark.tags[0] ?? mark.note.slice(0, 40);
    if (text && mx + 16 > free) {
      ctx.fillStyle = INK;
      ctx.font = on ? '600 12px system-ui, sans-serif' : '12px system-ui, sans-serif';
      ctx.fillText(text, mx + 16, row.y + 10);
      free = mx + 16 + ctx.measureText(text).width + 10;
      ctx.font = '12px system-ui, sans-serif';
    }
  }
}

function drawCurve(ctx: CanvasRenderingContext2D, f: Frame, row: Row, x: (t: number) => number): void {
  const series = (f.curves ?? []).map((c) => ({
    id: c.participant,
    points:
      row.curve === 'tempo'
        ? c.tempo.map((p) => ({ t: p.t, v: p.bpm }))
        : row.curve === 'loudness'
          ? c.loudness.map((p) => ({ t: p.t, v: p.loudness }))
          : c.density.map((p) => ({ t: p.t, v: p.density })),
  }));
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series)
    for (const p of s.points) {
      lo = Math.min(lo, p.v);
      hi = Math.max(hi, p.v);
    }
  if (!Number.isFinite(lo)) {
    ctx.fillStyle = SOFT;
    ctx.fillText('Not enough playing to measure', 8, row.y + row.height / 2);
    return;
  }
  if (row.curve !== 'tempo') lo = Math.min(lo, 0);
  else if (hi - lo < 10) {
    // A steady tempo is drawn as a steady line in a band of ten BPM, not as its wobble magnified.
    const mid = (hi + lo) / 2;
    lo = mid - 5;
    hi = mid + 5;
  }
  if (hi - lo < 1e-6) hi = lo + 1;
  const y = (v: number) => row.y + 6 + (1 - (v - lo) / (hi - lo)) * (row.height - 14);
  ctx.fillStyle = SOFT;
  ctx.fillText(`${Math.round(hi)}`, 4, row.y + 9);
  ctx.fillText(`${Math.round(lo)}`, 4, row.y + row.height - 9);
  ctx.lineWidth = 2;
  for (const s of series) {
    ctx.strokeStyle = f.colours.get(s.id) ?? COMPANION;
    ctx.beginPath();
    // Where there are more points than pixels (an hour at once), each run of about three pixels
    // is drawn as the mean of its points, so the line reads as a trend rather than a scribble.
    const seen = s.points.filter((p) => p.t >= f.view.from - 2 && p.t <= f.view.to + 2);
    const bucket = seen.length > f.width / 3 ? (3 * (f.view.to - f.view.from)) / f.width : 0;
    const points: Array<{ t: number; v: number; gap?: boolean }> = [];
    if (bucket === 0) points.push(...seen);
    else {
      let sum = 0;
      let n = 0;
      let at = Number.NaN;
      let last = Number.NaN;
      let gap = true;
      for (const p of seen) {
        const b = Math.floor(p.t / bucket);
        const broken = p.t - last > 2.5;
        if (n > 0 && (b !== at || broken)) {
          points.push({ t: (at + 0.5) * bucket, v: sum / n, gap });
          sum = 0;
          n = 0;
          gap = false;
        }
        // A gap in the curve (no pulse, silence) stays a gap.
        if (broken) gap = true;
        at = b;
        last = p.t;
        sum += p.v;
        n += 1;
      }
      if (n > 0) points.push({ t: (at + 0.5) * bucket, v: sum / n, gap });
    }
    let last: number | null = null;
    for (const p of points) {
      // A gap of more than two curve steps is drawn as a gap, not a line across it.
      const gap = last === null || (bucket === 0 ? p.t - last > 2.5 : p.gap === true);
      if (gap) ctx.moveTo(x(p.t), y(p.v));
      else ctx.lineTo(x(p.t), y(p.v));
      last = p.t;
    }
    ctx.stroke();
  }
}

const COMPANION = '#7d7564';
