import { execFileSync } from 'node:child_process';

import { BAD_WORDS_LIST, BAD_WORDS_VERSION } from './bad-words-list';

describe('bad-words snapshot', () => {
  it('when compared with the installed bad-words package, then the snapshot is identical', () => {
    // Plain Node can require bad-words (require(esm) for its dependency); Jest's module system cannot.
    const script =
      "const { Filter } = require('bad-words'); const path = require('node:path'); const fs = require('node:fs');" +
      "const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('bad-words')), '..', 'package.json'), 'utf8'));" +
      '' +
      'process.stdout.write(JSON.stringify({ version: pkg.version, list: new Filter().list }))';
    const installed = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' }),
    ) as {
      version: string;
      list: string[];
    };
    expect(installed.version).toBe(BAD_WORDS_VERSION);
    expect(BAD_WORDS_LIST).toEqual(installed.list);
  });
});
