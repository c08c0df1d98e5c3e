import { readFile } from 'node:fs/promises';

/**
 * Text as people save it: Windows editors start UTF-8 files with a byte-order mark, which JSON.parse and
 * dotenv parsers reject or misread (the first key becomes "\uFEFFkey"). Every text file gen-ownertypes reads
 * goes through here, so none of them can trip on it.
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a UTF-8 text file without its byte-order mark. Errors are Node's own (`code` = `ENOENT`, …). */
export async function readTextFile(file: string): Promise<string> {
  return stripBom(await readFile(file, 'utf8'));
}
