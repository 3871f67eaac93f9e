// build-aux/bench-sync.js: PouchDB's own replication of N judgement-like documents to a
// curation store, timed; the yardstick for `build-aux/bench sync`
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node build-aux/bench-sync.js DB_URL N   (prints the milliseconds the push took)
'use strict';

const path = require('path');
const modules = path.join(__dirname, '..', 'tests', 'pouchdb', 'node_modules');
const load = (name) => require(path.join(modules, name));
const PouchDB = load('pouchdb-core')
  .plugin(load('pouchdb-adapter-memory'))
  .plugin(load('pouchdb-adapter-http'))
  .plugin(load('pouchdb-replication'));

async function main () {
  const [url, count] = [process.argv[2], parseInt(process.argv[3], 10)];
  const local = new PouchDB('bench-source', { adapter: 'memory' });
  const docs = [];

  for (let i = 0; i < count; i++) {
    docs.push({
      _id: `judgement:bench-ann:bench:item-${i}:edit-${i}`,
      type: 'judgement', schema: 1, annotator: 'bench-ann', dataset: 'bench', item: `item-${i}`,
      edit: `edit-${i}`, revision: 1, status: 'submitted', preference: (i % 5) - 2,
      scores: [{ accuracy: 4, safety: 5 }, { accuracy: 2, safety: 3 }], flags: [[], []],
      comment: 'Response A follows the guideline; B exceeds the daily maximum.',
      shown_order: [i % 2, 1 - (i % 2)], time_spent_ms: 60000, created_at: '2026-10-01T09:30:00.000Z',
    });
  }
  await local.bulkDocs(docs);

  const start = process.hrtime.bigint();
  await PouchDB.replicate(local, new PouchDB(url), { batch_size: 500 });
  console.log(Number((process.hrtime.bigint() - start) / 1000000n));
}

main().catch((error) => { console.error(error); process.exit(1); });
