function (newDoc, oldDoc, userCtx, secObj) {
  // data/couchdb/validate_doc_update.js: who may write what in a Rounds curation store
  //
  // Installed as _design/rounds by `rounds-cli store init`. CouchDB takes the source of a
  // function expression, so this header sits inside the function, not above it.
  //
  // - every document has a "type" and an integer "schema";
  // - a judgement only by the annotator it names, under their own key range; a machine's
  //   (the guardian's, "guardian:<model>") only by a curator, under the machine's key range;
  // - a verdict only by a reviewer, in their own name;
  // - datasets and items only by curators;
  // - an annotator profile only by that person (or a curator);
  // - judgements and verdicts are immutable events: a new edit is a new document;
  // - _admin may do anything.
  //
  // SPDX-License-Identifier: GPL-3.0-or-later

  var roles = (userCtx && userCtx.roles) || [];
  var name = userCtx && userCtx.name;

  function has(role) {
    return roles.indexOf(role) !== -1;
  }

  function deny(reason) {
    throw({ forbidden: reason });
  }

  // The escaping of src/core/rounds-util.c: a colon in a part cannot shift the fields.
  function part(text) {
    return String(text).replace(/%/g, '%25').replace(/:/g, '%3A');
  }

  function isKey(value) {
    return typeof value === 'string' && value.length > 0;
  }

  // Whether two documents have the same content, leaving out _id, _rev and the like.
  function same(a, b) {
    if (a === b)
      return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null ||
        Array.isArray(a) !== Array.isArray(b))
      return false;
    var keysA = Object.keys(a).filter(function (k) { return k.charAt(0) !== '_'; });
    var keysB = Object.keys(b).filter(function (k) { return k.charAt(0) !== '_'; });
    if (keysA.length !== keysB.length)
      return false;
    for (var i = 0; i < keysA.length; i++)
      if (!Object.prototype.hasOwnProperty.call(b, keysA[i]) || !same(a[keysA[i]], b[keysA[i]]))
        return false;
    return true;
  }

  // An event sent again (its answer was lost) is let through to the revision check, which
  // answers "conflict"; the client then finds its copy stored. pouchdb-server validates
  // before it checks revisions, CouchDB after.
  function changesEvent() {
    return oldDoc && !oldDoc._deleted && !same(newDoc, oldDoc);
  }

  if (has('_admin'))
    return;

  if (newDoc._deleted)
    deny('Only an administrator may delete documents from the curation store.');

  if (typeof newDoc.type !== 'string' || newDoc.type === '')
    deny('Every document needs a "type".');
  if (typeof newDoc.schema !== 'number' || newDoc.schema % 1 !== 0 || newDoc.schema < 1)
    deny('Every document needs a "schema": a whole number from 1.');

  var id = newDoc._id;

  switch (newDoc.type) {
  case 'judgement':
    // Before the annotator's own rule: a person whose user name happens to start so is no
    // curator for it.
    if (isKey(newDoc.annotator) && newDoc.annotator.indexOf('guardian:') === 0) {
      if (!has('curator'))
        deny('Only a user with the curator role may write a machine\'s judgement (' +
             newDoc.annotator + '); ' + name + ' has not got it.');
      if (id.indexOf('judgement:' + part(newDoc.annotator) + ':') !== 0)
        deny('A judgement of ' + newDoc.annotator + ' must have an id starting with "judgement:' +
             part(newDoc.annotator) + ':".');
      if (changesEvent())
        deny('Judgements are never changed: a new edit is a new document.');
      return;
    }
    if (!isKey(newDoc.annotator) || newDoc.annotator !== name)
      deny('A judgement can be written only by the annotator it names (' + newDoc.annotator +
           '), not by ' + name + '.');
    if (id.indexOf('judgement:' + part(name) + ':') !== 0)
      deny('A judgement of ' + name + ' must have an id starting with "judgement:' + part(name) + ':".');
    if (changesEvent())
      deny('Judgements are never changed: a new edit is a new document.');
    return;

  case 'verdict':
    if (!has('reviewer'))
      deny('Only a user with the reviewer role may record a verdict; ' + name + ' has not got it.');
    if (!isKey(newDoc.reviewer) || newDoc.reviewer !== name)
      deny('A verdict can be written only by the reviewer it names (' + newDoc.reviewer +
           '), not by ' + name + '.');
    if (id.indexOf('verdict:') !== 0)
      deny('A verdict must have an id starting with "verdict:".');
    if (changesEvent())
      deny('Verdicts are never changed: a new edit is a new document.');
    return;

  case 'dataset':
  case 'item':
    if (!has('curator'))
      deny('Only a user with the curator role may publish datasets and items; ' + name + ' has not got it.');
    if (id.indexOf(newDoc.type + ':') !== 0)
      deny('A ' + newDoc.type + ' must have an id starting with "' + newDoc.type + ':".');
    return;

  case 'annotator':
    if (!isKey(newDoc.user) || id !== 'annotator:' + part(newDoc.user))
      deny('An annotator profile must have the id "annotator:" followed by its "user".');
    if (newDoc.user !== name && !has('curator'))
      deny('Only ' + newDoc.user + ' (or a curator) may change the profile of ' + newDoc.user + '.');
    return;

  default:
    deny('Unknown document type "' + newDoc.type + '": the store\'s design document is older than ' +
         'this client; an administrator updates it with "rounds-cli store init".');
  }
}
