/**
 * UTC calendar days as `YYYY-MM-DD` strings, for the period report: pure arithmetic on the date, never the
 * clock, so the same period gives the same days on any machine and in any time zone. Adding days and
 * listing a period's days are the evidence's own (the sealer's `addDays`, coverage's `daysBetween`).
 */
import { daysBetween } from '../../lambdas/evidence/coverage';
import { addDays } from '../../lambdas/sealer/day-digest';

export { addDays };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Whether `value` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value;
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function dayDistance(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00.000Z`) - Date.parse(`${a}T00:00:00.000Z`)) / MS_PER_DAY);
}

/** Every day from `from` to `to`, both included; empty when `to` is before `from`. */
export function eachDay(from: string, to: string): string[] {
  return to < from ? [] : daysBetween(from, to);
}
