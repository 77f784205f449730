/** POST /api/archive/items/{number}/check: the 四性检测 of one filed item, now; recorded on the item (a failure takes it out of the catalogue; the archive worker stamps an item that passes without its 归档章 copy). */
import * as z from 'zod/mini';
import { access, archive, cases, clock, files, newId, numbering, org, vault, wire } from '../../adapters/deps.ts';
import { probe } from '../../adapters/files/probe-port.ts';
import { checkOneItem } from '../../domain/archive/check-archive.ts';
import { httpHandler } from '../middleware.ts';

const deps = wire({ archive, cases, files, access, org, clock, vault, numbering, newId, probe });

const Path = z.object({ number: z.string().check(z.minLength(1, '档号不能为空。number is required.'), z.maxLength(60, '档号最多 60 个字符。number: at most 60 characters.')) });

export const handler = httpHandler({ path: Path }, async ({ path, caller }) => ({ body: await checkOneItem(deps, caller, path.number) }));
