// What every benchmark here shares: alternating rounds, medians, number formatting.

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * Runs `a()` and `b()` once each to warm up (not counted), then `rounds` times each,
 * alternating which goes first so that drift (thermal, other load) hits both sides alike.
 * Resolves with every counted result of each side.
 */
export async function alternate(rounds, a, b) {
  const results = { a: [], b: [] }
  await a()
  await b()
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['a', 'b'] : ['b', 'a']
    for (const side of order) results[side].push(await (side === 'a' ? a() : b()))
  }
  return results
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US')
