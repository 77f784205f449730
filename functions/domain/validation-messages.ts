/**
 * Validation messages a clerk can read: every message zod makes up by itself (a schema that names
 * no message of its own) is in Chinese first, then English, like the project's own messages.
 * Imported for its effect by the HTTP middleware, before any request is parsed.
 */
import * as z from 'zod/mini';
// The two locales by their own modules: `z.locales` would bring all of zod's languages into every bundle.
import zhCN from 'zod/v4/locales/zh-CN.js';
import english from 'zod/v4/locales/en.js';

const zh = zhCN().localeError;
const en = english().localeError;

type Issue = Parameters<typeof zh>[0];

function text(map: typeof zh, issue: Issue): string {
  const made = map(issue);
  return typeof made === 'string' ? made : (made?.message ?? '');
}

/** The message for an issue whose schema gave none. */
export function bilingualMessage(issue: Issue): string {
  // A missing value says so plainly ("expected string, received undefined" reads like a crash).
  if (issue.code === 'invalid_type' && issue.input === undefined) return '此项必填。This field is required.';
  if (issue.code === 'unrecognized_keys') return `不接受的字段：${issue.keys.join('、')}。Unknown field(s): ${issue.keys.join(', ')}.`;
  return `${text(zh, issue)}。${text(en, issue)}.`;
}

z.config({ localeError: (issue) => ({ message: bilingualMessage(issue) }) });
