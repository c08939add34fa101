/**
 * The join link as a QR code, drawn in the page (the `qrcode` package encodes it; nothing goes to
 * the network): an SVG path of the dark modules with the standard quiet zone of four modules, so
 * a tablet's camera can open the join page without anyone typing the code.
 */
import { create } from 'qrcode';

/** The QR code of a text as SVG: its viewBox side and one path of the dark modules. */
export interface QrPicture {
  /** Modules across, quiet zone included. */
  readonly size: number;
  /** An SVG path drawing each dark module as a unit square. */
  readonly path: string;
  /** The modules without the quiet zone, row by row (true = dark), for checking. */
  readonly modules: readonly (readonly boolean[])[];
}

/** Modules of light margin around the code, as the standard asks. */
export const QUIET_ZONE = 4;

/**
 * Encodes a text (a join link) as a QR code with medium error correction.
 * @example qrPicture('http://studio.local/join/K7QP2M').size // 33: 25 modules and 2 × 4 of margin
 */
export function qrPicture(text: string): QrPicture {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const rows: boolean[][] = [];
  const parts: string[] = [];
  for (let r = 0; r < n; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < n; c++) {
      const dark = modules.data[r * n + c] === 1;
      row.push(dark);
      if (dark) parts.push(`M${c + QUIET_ZONE} ${r + QUIET_ZONE}h1v1h-1z`);
    }
    rows.push(row);
  }
  return { size: n + 2 * QUIET_ZONE, path: parts.join(''), modules: rows };
}
