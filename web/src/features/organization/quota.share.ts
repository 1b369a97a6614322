/** Share of a limit in use, 0–100, and the colour that warns near the limit. */
export function quotaShare(used: number, limit: number | null): { percent: number; color: string } {
  if (limit === null) return { percent: 0, color: 'gray' };
  const percent = limit === 0 ? 100 : Math.min(100, Math.round((used / limit) * 100));
  return { percent, color: percent >= 90 ? 'red' : percent >= 70 ? 'yellow' : 'blue' };
}
