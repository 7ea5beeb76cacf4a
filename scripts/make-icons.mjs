// Draws Pigeon's app icons (a paper plane on the brand orange) and writes
// them as PNGs into public/ (run from the repository root): node scripts/make-icons.mjs
// No image library: shapes are polygons sampled 4×4 per pixel, and the PNG is
// encoded by hand with node's zlib.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { deflateSync } from 'node:zlib'

const out = path.resolve(process.argv[2] ?? 'public')
const ORANGE = [255, 108, 55]

// The plane in a unit square: the upper wing, the lower wing and the fold.
const PLANE = [
  { color: [255, 255, 255], points: [[0.16, 0.47], [0.84, 0.18], [0.43, 0.59]] },
  { color: [255, 226, 212], points: [[0.43, 0.59], [0.84, 0.18], [0.62, 0.83]] },
  { color: [214, 78, 30], points: [[0.43, 0.59], [0.47, 0.78], [0.55, 0.66]] },
]

function inside(x, y, points) {
  let hit = false
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i]
    const [xj, yj] = points[j]
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi)
      hit = !hit
  }
  return hit
}

function inRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius)
  const cy = Math.min(Math.max(y, radius), 1 - radius)
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2
}

/** One pixel's colour at unit coordinates, or null where the icon is transparent. */
function sample(x, y, { maskable }) {
  if (!maskable && !inRoundedSquare(x, y, 0.22))
    return null
  // A maskable icon keeps its glyph inside the central 80 % safe zone.
  const scale = maskable ? 0.62 : 0.84
  const gx = (x - 0.5) / scale + 0.5
  const gy = (y - 0.5) / scale + 0.5
  for (let i = PLANE.length - 1; i >= 0; i--) {
    if (inside(gx, gy, PLANE[i].points))
      return PLANE[i].color
  }
  return ORANGE
}

function draw(size, options) {
  const SS = 4
  const rgba = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = sample((px + (sx + 0.5) / SS) / size, (py + (sy + 0.5) / SS) / size, options)
          if (!c)
            continue
          r += c[0]; g += c[1]; b += c[2]; a += 1
        }
      }
      const o = (py * size + px) * 4
      rgba[o] = a ? Math.round(r / a) : 0
      rgba[o + 1] = a ? Math.round(g / a) : 0
      rgba[o + 2] = a ? Math.round(b / a) : 0
      rgba[o + 3] = Math.round((a / (SS * SS)) * 255)
    }
  }
  return rgba
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++)
    c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes) {
  let c = 0xFFFFFFFF
  for (const byte of bytes)
    c = CRC_TABLE[(c ^ byte) & 0xFF] ^ (c >>> 8)
  return (c ^ 0xFFFFFFFF) >>> 0
}

function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++)
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const ICONS = [
  { file: 'pwa-192x192.png', size: 192, maskable: false },
  { file: 'pwa-512x512.png', size: 512, maskable: false },
  { file: 'maskable-icon-512x512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180x180.png', size: 180, maskable: true },
  { file: 'favicon-32x32.png', size: 32, maskable: false },
]

for (const icon of ICONS) {
  writeFileSync(path.join(out, icon.file), encodePng(icon.size, draw(icon.size, icon)))
  console.log(`wrote public/${icon.file}`)
}
