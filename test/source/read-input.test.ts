import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.js';
import { MAX_INPUT_BYTES, readInput } from '../../src/source/read-input.js';
import { seedOwnerTypes } from '../support/fake-portal.mjs';
import { tempDir } from '../support/temp.js';

async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('readInput', () => {
  const dir = tempDir('read-input');
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(path.join(dir, name), content);
    return name;
  };

  it.each([
    ['plain UTF-8', ''],
    ['with a byte-order mark', '\uFEFF'],
  ])('hands the JSON on: %s', async (_name, prefix) => {
    const response = { result: seedOwnerTypes() };
    const file = write(`ok-${prefix.length}.json`, `${prefix}${JSON.stringify(response)}`);
    expect(await readInput(file, dir)).toEqual({ file: path.join(dir, file), json: response });
  });

  it.each<[string, () => string, RegExp]>([
    ['a missing file', () => 'missing.json', /^Cannot read `input` .*missing\.json: no such file\.$/],
    ['a folder', () => (mkdirSync(path.join(dir, 'folder.json'), { recursive: true }), 'folder.json'), /^Cannot read `input` .*folder\.json: it is a folder\.$/],
    ['not JSON', () => write('bad.json', '{ nope'), /^`input` .*bad\.json is not JSON \(.*\)\. Expected a crm\.enum\.ownertype response/],
    ['nested too deep', () => write('deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`), /holds values nested over 64 levels deep/],
    ['too large', () => write('large.json', Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20)), /over the limit of/],
  ])('%s is an input error (exit 2)', async (_name, make, message) => {
    const error = await inputErrorOf(readInput(make(), dir));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });
});
