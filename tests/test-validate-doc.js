// tests/test-validate-doc.js: the curation store's validate_doc_update, rule by rule
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node tests/test-validate-doc.js data/couchdb/validate_doc_update.js
//
// pouchdb-server runs the function too, but it is no security boundary, so every rule is
// checked here on its own: for every document type and role, what is let through and what
// is refused, with fake userCtx objects as CouchDB passes them. Output is TAP.

'use strict';

const fs = require('fs');
const vm = require('vm');

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node test-validate-doc.js validate_doc_update.js\n');
  process.exit(2);
}

const source = fs.readFileSync(path, 'utf8');
// CouchDB takes the source of a function expression, so it must start with "function".
if (!/^function\s*\(/.test(source)) {
  process.stdout.write('1..1\nnot ok 1 - the file starts with a function expression\n');
  process.exit(1);
}
// Compiled the way CouchDB's JavaScript engine does: as an expression, nothing else in scope.
const validate = vm.runInNewContext('(' + source + ')', {});

function user(name, roles) {
  return { db: 'ethics', name: name, roles: roles };
}

const admin = user('admin', ['_admin']);
const lin = user('dr-lin', ['annotator']);
const osei = user('dr-osei', ['annotator']);
const kim = user('rev-kim', ['reviewer', 'annotator']);
const ada = user('cur-ada', ['curator', 'annotator']);
const colon = user('dr:odd', ['annotator']);
const anonymous = { db: 'ethics', name: null, roles: [] };

function judgement(annotator, extra) {
  return Object.assign({
    _id: 'judgement:' + annotator.replace(/%/g, '%25').replace(/:/g, '%3A') + ':ethics:c1:e1',
    type: 'judgement', schema: 1, annotator: annotator, dataset: 'ethics', item: 'c1', edit: 'e1',
    revision: 1, status: 'submitted', preference: -1, created_at: '2026-01-01T00:00:00Z',
  }, extra || {});
}

function verdict(reviewer, extra) {
  return Object.assign({
    _id: 'verdict:ethics:c1:' + reviewer + ':v1', type: 'verdict', schema: 1, reviewer: reviewer,
    dataset: 'ethics', item: 'c1', edit: 'v1', revision: 1, rationale: 'guidance',
  }, extra || {});
}

const dataset = { _id: 'dataset:ethics', type: 'dataset', schema: 1, id: 'ethics',
                  title: 'Ethics' };
const item = {
  _id: 'item:ethics:c1', type: 'item', schema: 1, dataset: 'ethics', id: 'c1', scenario: 'S',
  responses: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }],
};
// An item whose responses a model generated (rounds-cli generate): still an item.
const generated = Object.assign({}, item, {
  responses: [{ id: 'gen:ward:0123456789ab:0', text: 'A', model: 'llama-3',
                metadata: { generation: { endpoint: 'ward', outcome: 'answered' } } },
              { id: 'gen:ward:0123456789ab:1', text: '', model: 'llama-3',
                metadata: { generation: { endpoint: 'ward', outcome: 'empty' } } }],
});
const profile = (name) => ({ _id: 'annotator:' + name, type: 'annotator', schema: 1, user: name });
const stored = (doc) => Object.assign({ _rev: '1-abc' }, doc);

// [what, doc, oldDoc, userCtx, allowed, reason that a refusal must contain]
const cases = [
  // every document has a type and a schema
  ['no type', { _id: 'x', schema: 1 }, null, lin, false, '"type"'],
  ['empty type', { _id: 'x', type: '', schema: 1 }, null, lin, false, '"type"'],
  ['no schema', { _id: 'judgement:dr-lin:e:i:1', type: 'judgement', annotator: 'dr-lin' }, null,
   lin, false, '"schema"'],
  ['schema as text', judgement('dr-lin', { schema: '1' }), null, lin, false, '"schema"'],
  ['schema 0', judgement('dr-lin', { schema: 0 }), null, lin, false, '"schema"'],
  ['schema 1.5', judgement('dr-lin', { schema: 1.5 }), null, lin, false, '"schema"'],
  ['a newer schema is still a document', judgement('dr-lin', { schema: 2 }), null, lin, true],
  ['unknown type', { _id: 'mystery:1', type: 'mystery', schema: 1 }, null, ada, false,
   'Unknown document type'],

  // a judgement only by the annotator it names
  ['own judgement', judgement('dr-lin'), null, lin, true],
  ['own judgement, with a colon in the name', judgement('dr:odd'), null, colon, true],
  ['judgement of another annotator', judgement('dr-osei'), null, lin, false,
   'only by the annotator it names'],
  ['judgement without annotator', judgement('dr-lin', { annotator: undefined }), null, lin, false,
   'only by the annotator'],
  ['own name, another key range', judgement('dr-lin', { _id: 'judgement:dr-osei:ethics:c1:e1' }),
   null, lin, false, 'must have an id'],
  ['own name, a prefix of another', judgement('dr-lin', { _id: 'judgement:dr-lin2:ethics:c1:e1' }),
   null, lin, false, 'must have an id'],
  ['judgement by a reviewer for an annotator', judgement('dr-lin'), null, kim, false,
   'only by the annotator'],
  ['judgement by a curator for an annotator', judgement('dr-lin'), null, ada, false,
   'only by the annotator'],
  ['anonymous judgement', judgement('dr-lin'), null, anonymous, false, 'only by the annotator'],
  ['judgement changed', judgement('dr-lin', { preference: 2 }), stored(judgement('dr-lin')), lin,
   false, 'never changed'],
  ['judgement sent again, the same', judgement('dr-lin'), stored(judgement('dr-lin')), lin, true],
  ['judgement over a deleted one', judgement('dr-lin'),
   { _id: 'x', _rev: '2-d', _deleted: true }, lin, true],

  // a machine's judgement (the guardian's) only by a curator
  ['guardian judgement by a curator', judgement('guardian:qwen2.5:7b'), null, ada, true],
  ['guardian judgement by an annotator', judgement('guardian:qwen2.5:7b'), null, lin, false,
   'curator role'],
  ['guardian judgement by a reviewer', judgement('guardian:qwen2.5:7b'), null, kim, false,
   'curator role'],
  ['guardian judgement by a user named so', judgement('guardian:m'), null,
   user('guardian:m', ['annotator']), false, 'curator role'],
  ['anonymous guardian judgement', judgement('guardian:m'), null, anonymous, false,
   'curator role'],
  ['guardian judgement under another key range',
   judgement('guardian:m', { _id: 'judgement:cur-ada:ethics:c1:e1' }), null, ada, false,
   'must have an id'],
  ['guardian judgement with its colon unescaped',
   judgement('guardian:m', { _id: 'judgement:guardian:m:ethics:c1:e1' }), null, ada, false,
   'must have an id'],
  ['guardian judgement changed', judgement('guardian:m', { preference: 2 }),
   stored(judgement('guardian:m')), ada, false, 'never changed'],
  ['guardian judgement sent again, the same', judgement('guardian:m'),
   stored(judgement('guardian:m')), ada, true],

  // a verdict only by a reviewer, in their own name
  ['verdict by a reviewer', verdict('rev-kim'), null, kim, true],
  ['verdict by an annotator', verdict('dr-lin'), null, lin, false, 'reviewer role'],
  ['verdict by a curator', verdict('cur-ada'), null, ada, false, 'reviewer role'],
  ['verdict in another reviewer\'s name', verdict('rev-other'), null, kim, false,
   'only by the reviewer it names'],
  ['verdict with a bad id', verdict('rev-kim', { _id: 'judgement:rev-kim:x' }), null, kim, false,
   'id starting with "verdict:"'],
  ['verdict changed', verdict('rev-kim', { rationale: 'other' }), stored(verdict('rev-kim')), kim,
   false, 'never changed'],
  ['verdict sent again, the same', verdict('rev-kim'), stored(verdict('rev-kim')), kim, true],

  // datasets and items only by curators
  ['dataset by a curator', dataset, null, ada, true],
  ['dataset updated by a curator', Object.assign({ _rev: '1-abc' }, dataset, { title: 'New' }),
   stored(dataset), ada, true],
  ['dataset by an annotator', dataset, null, lin, false, 'curator role'],
  ['dataset by a reviewer', dataset, null, kim, false, 'curator role'],
  ['dataset with a bad id', Object.assign({}, dataset, { _id: 'item:ethics:x' }), null, ada, false,
   'id starting with "dataset:"'],
  ['item by a curator', item, null, ada, true],
  ['item by an annotator', item, null, lin, false, 'curator role'],
  ['item by a reviewer', item, null, kim, false, 'curator role'],
  ['item updated by an annotator', Object.assign({}, item, { scenario: 'T' }), stored(item), lin,
   false, 'curator role'],
  ['generated responses by a curator', generated, stored(item), ada, true],
  ['generated responses by an annotator', generated, stored(item), lin, false, 'curator role'],
  ['generated responses by a reviewer', generated, null, kim, false, 'curator role'],

  // an annotator profile only by that person or a curator
  ['own profile', profile('dr-lin'), null, lin, true],
  ['another\'s profile', profile('dr-osei'), null, lin, false, 'Only dr-osei'],
  ['a profile by a curator', profile('dr-osei'), null, ada, true],
  ['a profile under another id', Object.assign(profile('dr-lin'), { _id: 'annotator:dr-osei' }),
   null, lin, false, 'followed by its "user"'],

  // deleting is for administrators
  ['delete own judgement', { _id: 'judgement:dr-lin:ethics:c1:e1', _rev: '1-abc', _deleted: true },
   stored(judgement('dr-lin')), lin, false, 'Only an administrator may delete'],
  ['delete a dataset as curator', { _id: 'dataset:ethics', _rev: '1-abc', _deleted: true },
   stored(dataset), ada, false, 'Only an administrator may delete'],

  // _admin may do anything
  ['admin writes another\'s judgement', judgement('dr-lin'), null, admin, true],
  ['admin writes an unknown type', { _id: 'mystery:1', type: 'mystery', schema: 1 },
   null, admin, true],
  ['admin writes without a schema', { _id: 'x' }, null, admin, true],
  ['admin changes a judgement', judgement('dr-lin', { preference: 2 }),
   stored(judgement('dr-lin')), admin, true],
  ['admin deletes', { _id: 'dataset:ethics', _rev: '1-abc', _deleted: true },
   stored(dataset), admin, true],
];

let failed = 0;
process.stdout.write(`1..${cases.length}\n`);
cases.forEach(([what, doc, oldDoc, ctx, allowed, reason], index) => {
  let refusal = null;
  let problem = null;
  try {
    validate(JSON.parse(JSON.stringify(doc)), oldDoc, ctx,
             { members: { roles: ['annotator', 'reviewer', 'curator'] } });
  } catch (e) {
    if (e && typeof e.forbidden === 'string')
      refusal = e.forbidden;
    else
      problem = `threw something other than {forbidden}: ${JSON.stringify(e)} ${e && e.stack}`;
  }

  if (problem === null && allowed && refusal !== null)
    problem = `refused: ${refusal}`;
  if (problem === null && !allowed && refusal === null)
    problem = 'let through';
  if (problem === null && !allowed && reason && refusal.indexOf(reason) === -1)
    problem = `refused for another reason: ${refusal} (expected “${reason}”)`;

  const user = ctx.name === null ? 'anonymous' : `${ctx.name} [${ctx.roles.join(',')}]`;
  if (problem === null) {
    const outcome = allowed ? 'allowed' : 'refused';
    process.stdout.write(`ok ${index + 1} - ${what} (${user}): ${outcome}\n`);
  } else {
    failed++;
    process.stdout.write(`not ok ${index + 1} - ${what} (${user})\n# ${problem}\n`);
  }
});
process.exit(failed ? 1 : 0);
