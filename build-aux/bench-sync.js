// build-aux/bench-sync.js: PouchDB's own replication of the judgement documents Rounds
// pushed, to and from a curation store, timed; the yardstick for `build-aux/bench sync`
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node build-aux/bench-sync.js push DB_URL DOCS   the documents of DOCS (a JSON array,
//                                                         as `_all_docs` gives them), from
//                                                         memory to DB_URL
//        node build-aux/bench-sync.js pull DB_URL         everything of DB_URL into memory
// Prints the milliseconds the replication took, then the documents it wrote.
'use strict';

const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, '..', 'tests', 'pouchdb', 'node_modules');
const load = (name) => require(path.join(modules, name));
const PouchDB = load('pouchdb-core')
  .plugin(load('pouchdb-adapter-memory'))
  .plugin(load('pouchdb-adapter-http'))
  .plugin(load('pouchdb-replication'));

async function main () {
  const [direction, url, docsPath] = process.argv.slice(2);
  const local = new PouchDB('bench-local', { adapter: 'memory' });
  const remote = new PouchDB(url);

  if (direction === 'push') {
    const docs = JSON.parse(fs.readFileSync(docsPath, 'utf8'));
    await local.bulkDocs(docs);
  } else if (direction !== 'pull') {
    throw new Error(`push or pull, not ${direction}`);
  }

  const start = process.hrtime.bigint();
  const result = direction === 'push'
    ? await PouchDB.replicate(local, remote, { batch_size: 500 })
    : await PouchDB.replicate(remote, local, { batch_size: 500 });
  console.log(Number((process.hrtime.bigint() - start) / 1000000n), result.docs_written);
}

main().catch((error) => { console.error(error); process.exit(1); });
