/* rounds-event-private.h: the judgement and verdict event documents, built and read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "rounds-item.h"
#include "rounds-judgement.h"
#include "rounds-rubric.h"
#include "rounds-review.h"
#include "rounds-store.h"
#include "rounds-util-private.h"

G_BEGIN_DECLS

/* One saved edit of a judgement or a verdict is one immutable event (DESIGN.md). It travels
 * as a document of the curation store and as a line of the full archive; both are built and
 * read here, and nowhere else. The two differ only in small ways, chosen by the flags. */

typedef enum
{
  ROUNDS_EVENT_JUDGEMENT,
  ROUNDS_EVENT_VERDICT,
} RoundsEventType;

typedef enum
{
  /* The curation store's document: "_id", "schema" and the item's "responses"; booleans
   * always written; an empty keyed member left out. */
  ROUNDS_EVENT_STORE   = 0,
  /* A line of the full archive: no "_id", "schema" or "responses"; "unacceptable" and
   * "models_revealed" only when true; a keyed member written whenever its column is set,
   * and a shown position the item does not have written as "?". */
  ROUNDS_EVENT_ARCHIVE = 1 << 0,
  /* With ROUNDS_EVENT_ARCHIVE, reading a file to import: a member the line may not have is
   * refused, every member is type-checked and in range (the rubric's scores, the scale's
   * preference, by number or name, flag names, ranks 1..n), a submitted judgement must
   * decide, a missing edit, time or revision gets its default, and an error is translated
   * and about one member, which the key names. */
  ROUNDS_EVENT_STRICT  = 1 << 1,
} RoundsEventFlags;

/* Which edit an event is: what its document id is made of. */
typedef struct
{
  RoundsEventType  type;
  const char      *doc_id;     /* the store's "_id"; NULL in the archive */
  const char      *dataset;
  const char      *item;
  const char      *person;     /* the annotator, or the reviewer */
  const char      *edit;
  /* A strict reading's: in, the preference scale (±scale_k) and the rubric of the item's
   * dataset, which the caller sets when it has looked the item up; out, with an error, the
   * member it is about. */
  int              scale_k;
  RoundsRubric    *rubric;
  char            *field;
  /* < private > the names a strict reading read, which the key keeps */
  GPtrArray       *names;
} RoundsEventKey;

void             _rounds_event_key_clear        (RoundsEventKey          *key);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RoundsEventKey, _rounds_event_key_clear)

const char      *_rounds_event_type_to_string   (RoundsEventType          type);
gboolean         _rounds_event_type_from_string (const char              *text,
                                                 RoundsEventType         *type);

/* Building: from a row of annotations (or adjudications) read by column name. The row has
 * edit_id, revision, created_at, preference, ranking_json, unacceptable, scores_json and,
 * for a judgement, status, flags_json, notes_json, comment, skip_reason, shown_order,
 * time_spent_ms; for a verdict, rationale, resolves_json, models_revealed. @key gives the
 * names, which the caller may have changed (pseudonyms); @keys are the item's response ids
 * in canonical order. */
JsonObject      *_rounds_event_build            (const RoundsEventKey    *key,
                                                 sqlite3_stmt            *row,
                                                 const char * const      *keys,
                                                 guint                    n_keys,
                                                 RoundsEventFlags         flags);

/* Reading. Every member is type-checked: a wrong type refuses the document with its
 * reason (ROUNDS_ERROR_INVALID_INPUT, "<doc id>: <reason>"), never a GLib critical.
 *
 * _rounds_event_read_key() checks the names and, in the store, that the id is made of
 * them; what it checks before the item is looked up is what a document waiting for its
 * item has already passed. The strings point into @doc; read strictly, into @key, which
 * _rounds_event_key_clear() then frees, and the dataset may be %NULL, for the caller to
 * default before it reads the rest. */
gboolean         _rounds_event_read_key         (JsonObject              *doc,
                                                 RoundsEventType          type,
                                                 RoundsEventFlags         flags,
                                                 RoundsEventKey          *key,
                                                 GError                 **error);
RoundsJudgement *_rounds_event_read_judgement   (JsonObject              *doc,
                                                 RoundsEventKey          *key,
                                                 RoundsItem              *item,
                                                 RoundsRubric            *rubric,
                                                 RoundsEventFlags         flags,
                                                 GError                 **error);
RoundsVerdict   *_rounds_event_read_verdict     (JsonObject              *doc,
                                                 RoundsEventKey          *key,
                                                 RoundsItem              *item,
                                                 RoundsEventFlags         flags,
                                                 char                   **resolves_json,
                                                 GError                 **error);

/* Type-checked members of any document: the helpers of rounds-util-private.h. */
#define _rounds_event_get_string _rounds_json_get_string
#define _rounds_event_get_int    _rounds_json_get_int
#define _rounds_event_get_object _rounds_json_get_object
#define _rounds_event_get_array  _rounds_json_get_array
#define _rounds_event_get_bool   _rounds_json_get_bool
/* A member as JSON text; %NULL when missing or null. */
char            *_rounds_event_member_json      (JsonObject              *doc,
                                                 const char              *member);
/* The names the documents may carry: a dataset's, and an item's or a response's key. */
gboolean         _rounds_event_valid_name       (const char              *name);
gboolean         _rounds_event_valid_key        (const char              *key);
gboolean         _rounds_event_invalid          (GError                 **error,
                                                 const char              *doc_id,
                                                 const char              *format,
                                                 ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
