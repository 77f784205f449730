/**
 * Text people type is kept as typed, except characters no office text needs and that hide or
 * disguise what it says: control characters, and the invisible marks that reverse the direction
 * of what follows (U+202E turns "invoice‮fdp.exe" into what reads as "invoiceexe.pdf").
 */
const CONTROLS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
// Direction marks and overrides, and the invisible spaces and joiners that only hide where text differs.
const DIRECTION_MARKS = '\\u061c\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
// Fillers that draw nothing (Hangul), and the line and paragraph separators no form uses.
const INVISIBLE = '\\u115f\\u1160\\u3164\\uffa0\\u2028\\u2029';
// Half of a surrogate pair on its own is no character at all (and not valid UTF-8 to store).
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

const MULTILINE_UNSAFE = new RegExp(`[${CONTROLS}${DIRECTION_MARKS}${INVISIBLE}]|${LONE_SURROGATE}`);
const SINGLE_LINE_UNSAFE = new RegExp(`[\\t\\n\\r${CONTROLS}${DIRECTION_MARKS}${INVISIBLE}]|${LONE_SURROGATE}`);

/** Whether text holds a character that is refused (tabs and line breaks are allowed where `multiline`). */
export function hasUnsafeCharacters(text: string, multiline: boolean): boolean {
  return (multiline ? MULTILINE_UNSAFE : SINGLE_LINE_UNSAFE).test(text);
}

export const UNSAFE_TEXT = '不能包含控制字符或不可见的方向字符。No control or invisible direction characters.';
