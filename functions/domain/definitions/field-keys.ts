/**
 * Which fields a condition or a cross-field check reads. Apart from the definition schema
 * (definition.ts), so that code which runs at every request imports no schema: the catalogue is
 * validated when it is built (catalog/), not when a function starts.
 */
import type { Check, Condition } from './definition.ts';

/** The field keys a condition reads. */
export function conditionKeys(c: Condition | undefined): string[] {
  if (!c) return [];
  if ('field' in c) return [c.field];
  if ('all' in c) return c.all.flatMap(conditionKeys);
  if ('any' in c) return c.any.flatMap(conditionKeys);
  if ('not' in c) return conditionKeys(c.not);
  return [];
}

/** The field keys a cross-field check reads: it is judged once all of them can have been given. */
export function checkKeys(chk: Check): string[] {
  switch (chk.check) {
    case 'date-order':
    case 'within-days':
      return [chk.from, chk.to];
    case 'days-within-dates':
      return [chk.days, chk.from, chk.to];
    case 'days-ahead':
      return [chk.field];
    case 'required-when':
      return [chk.field, ...conditionKeys(chk.when)];
    case 'lead-in-list':
      return [chk.lead, chk.list];
    case 'each-in':
      return [chk.field, ...chk.in, ...conditionKeys(chk.when)];
  }
}
