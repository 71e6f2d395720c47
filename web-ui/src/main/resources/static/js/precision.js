// Precision ids (CONTRACTS.md section 3): `{weight}` or `{weight}:{activation}`, e.g. int4-g128,
// int8:int8, nvfp4:nvfp4. The dashboard only needs the element bits of the weight format (for
// colours) and a stable colour per id.

const FIXED = {
  'fp8-e4m3': 8, 'fp8-e5m2': 8, 'fp6-e3m2': 6, 'fp6-e2m3': 6, 'fp4-e2m1': 4,
  mxfp8: 8, mxfp6: 6, mxfp4: 4, mxint8: 8, nvfp4: 4, ternary: 1.58, bf16: 16, fp16: 16, fp32: 32,
};

/** Element bits of a format id (int4-g128 -> 4, nvfp4 -> 4, ternary -> 1.58), or null if unknown. */
export function formatBits(format) {
  if (!format) return null;
  const int = /^int(\d)(-|$)/.exec(format);
  if (int) return Number(int[1]);
  return FIXED[format] ?? null;
}

/** Weight element bits of a precision id. */
export function weightBits(precision) {
  return formatBits(String(precision).split(':')[0]);
}

// Warm colours for few bits, cool for many; all light enough for dark text (contrast >= 7:1).
const PALETTE = [
  [2, '#f4a3a3'], [3, '#f8bd86'], [4, '#ffe08a'], [5, '#e3efb0'], [6, '#bfe3b4'],
  [8, '#a9d3ee'], [16, '#c9bdf0'], [32, '#e6c3da'],
];

/** A background colour for a precision: by weight bits; variants of the same width differ in lightness. */
export function colour(precision, variantIndex = 0) {
  const bits = weightBits(precision);
  let base = '#dddddd';
  if (bits !== null) {
    base = PALETTE.find(([b]) => bits <= b)?.[1] ?? PALETTE[PALETTE.length - 1][1];
  }
  return variantIndex ? shade(base, variantIndex) : base;
}

function shade(hex, step) {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const factor = step % 2 ? 0.82 : 1.08;
  const amount = Math.ceil(step / 2);
  const out = rgb.map((c) => Math.max(0, Math.min(255, Math.round(c * factor ** amount))));
  return '#' + out.map((c) => c.toString(16).padStart(2, '0')).join('');
}

/** Colours for a set of precision ids: same bits -> same hue, distinct lightness per id. */
export function palette(precisions) {
  const ids = [...new Set(precisions)].sort((a, b) => (weightBits(a) ?? 99) - (weightBits(b) ?? 99) || a.localeCompare(b));
  const seen = new Map();
  const colours = new Map();
  for (const id of ids) {
    const bits = weightBits(id);
    const index = seen.get(bits) ?? 0;
    seen.set(bits, index + 1);
    colours.set(id, colour(id, index));
  }
  return colours;
}
