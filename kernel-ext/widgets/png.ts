// A matrix as a PNG heatmap: the bytes an Image widget sends as a binary buffer (a tensor of
// attention weights is thousands of numbers; as PNG it is a few hundred bytes and every frontend
// and the static book draw it). PNG per RFC 2083 / ISO 15948: signature, IHDR, IDAT (zlib), IEND.
import { deflateSync } from "zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, the polynomial PNG and zlib use). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit RGB PNG of `width` x `height` pixels, `rgb` row-major. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`png: width and height must be positive integers, got ${width} x ${height}`);
  if (rgb.length !== width * height * 3)
    throw new Error(`png: expected ${width * height * 3} RGB bytes for ${width} x ${height}, got ${rgb.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (1 + width * 3) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

// Viridis at five stops (matplotlib's _viridis_data at 0, 1/4, 1/2, 3/4, 1), linearly between.
const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(VIRIDIS[i][c] + f * (VIRIDIS[i + 1][c] - VIRIDIS[i][c]))) as [
    number,
    number,
    number,
  ];
}

export interface HeatmapPngOptions {
  /** Values mapped to the colour scale's ends; default the matrix's min and max. */
  zmin?: number;
  zmax?: number;
  /** Pixels per cell (default: enough for about 240 px across, at most 32). */
  scale?: number;
}

/** z[row][col] as a PNG, row 0 at the top (as a matrix reads). */
export function heatmapPng(
  z: readonly (readonly number[])[] | readonly ArrayLike<number>[],
  opts: HeatmapPngOptions = {},
): Buffer {
  const rows = z.length;
  const cols = rows ? z[0].length : 0;
  if (!rows || !cols) throw new Error("heatmap: expected a non-empty matrix (an array of rows)");
  z.forEach((r, i) => {
    if (r.length !== cols) throw new Error(`heatmap: row ${i} has ${r.length} values, row 0 has ${cols}`);
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of z)
    for (let j = 0; j < cols; j++)
      if (Number.isFinite(r[j])) {
        lo = Math.min(lo, r[j]);
        hi = Math.max(hi, r[j]);
      }
  lo = opts.zmin ?? lo;
  hi = opts.zmax ?? hi;
  const span = hi > lo ? hi - lo : 1;
  const s = opts.scale ?? Math.max(1, Math.min(32, Math.floor(240 / cols)));
  if (!Number.isInteger(s) || s < 1) throw new Error(`heatmap: scale must be a positive integer, got ${s}`);
  const w = cols * s;
  const h = rows * s;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = viridis((z[Math.floor(y / s)][Math.floor(x / s)] - lo) / span);
      rgb.set(c, (y * w + x) * 3);
    }
  }
  return encodePng(w, h, rgb);
}
