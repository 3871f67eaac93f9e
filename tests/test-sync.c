/* test-sync.c: push and pull between local stores and a real pouchdb-server, with the
 * faults of a ward's network put in by a proxy
 *
 * Every case counts what the server holds and what each local store holds: nothing lost,
 * nothing twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rounds-error.h"
#include "rounds-importer.h"
#include "rounds-store-private.h"
#include "rounds-sync.h"
#include "rounds-test-couch.h"
#include "rounds-test-proxy.h"
#include "rounds-test-util.h"
#include "rounds-util-private.h"

typedef struct
{
  char       *dir;
  char       *db_url;
  GPtrArray  *stores;
} Fixture;

static const char dataset_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Clinical ethics\", \"overlap\": 3,"
  " \"metadata\": {\"source\": \"test\"}}\n"
  "{\"id\": \"c1\", \"title\": \"Contraception at 16\", \"scenario\": \"A 16-year-old "
  "asks for contraception.\","
  " \"responses\": [{\"id\": \"a\", \"text\": \"Assess competence.\", \"model\": \"model-one\"},"
  " {\"id\": \"b\", \"text\": \"Tell the parents.\", \"model\": \"model-two\", \"metadata\": "
  "{\"t\": 0.7}}],"
  " \"reference\": {\"preferred\": \"a\", \"note\": \"Fraser guidance\"}}\n"
  "{\"id\": \"c:2\", \"scenario\": \"患者要求隐瞒诊断。\", \"language\": \"zh-CN\","
  " \"responses\": [{\"text\": \"尊重自主。\"}, {\"text\": \"告知家属。\"}]}\n"
  "{\"id\": \"c3\", \"scenario\": \"Three answers to one dilemma.\","
  " \"responses\": [{\"text\": \"One.\"}, {\"text\": \"Two.\"}, {\"text\": \"Three.\"}]}\n";

static const char * const item_keys[] = { "c1", "c:2", "c3" };

/* Fixture ------------------------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = rounds_test_make_dir ();
  fixture->db_url = rounds_test_couch_new_db ("sync", TRUE);
  fixture->stores = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_ptr_array_unref (fixture->stores);
  rounds_test_couch_drop_db (fixture->db_url);
  rounds_test_remove_tree (fixture->dir);
  g_free (fixture->db_url);
  g_free (fixture->dir);
}

static RoundsStore *
open_store (Fixture    *fixture,
            const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.db", fixture->dir, name);
  g_autoptr(GError) error = NULL;
  RoundsStore *store = rounds_store_open (path, &error);

  g_assert_no_error (error);
  g_ptr_array_add (fixture->stores, store);
  return store;
}

static void
add_profile (RoundsStore *store,
             const char  *user,
             const char  *display_name,
             RoundsRoles  roles)
{
  g_autoptr(RoundsProfile) profile = rounds_profile_new (user, display_name, roles, "paediatrics");
  g_autoptr(GError) error = NULL;

  rounds_store_add_profile (store, profile, &error);
  g_assert_no_error (error);
}

static void
import_text (Fixture     *fixture,
             RoundsStore *store,
             const char  *text,
             gboolean     update)
{
  rounds_test_store_import_update (store, fixture->dir, "import.jsonl", text, update);
}

#define find_item(store, key) rounds_test_store_find_item (store, "ethics", "%s", key)

/* Saves a full judgement: preference or ranking, scores, a flag, a note, a comment. */
static void
judge (RoundsStore *store,
       const char  *key,
       const char  *user,
       int          preference,
       const char  *comment)
{
  g_autoptr(RoundsItem) item = find_item (store, key);
  g_autoptr(RoundsDataset) dataset = rounds_store_get_dataset (store, "ethics", NULL);
  g_autoptr(RoundsJudgement) j = NULL;
  g_autoptr(GError) error = NULL;
  guint n = rounds_item_get_n_responses (item);

  g_assert_nonnull (dataset);
  j = rounds_judgement_new (n, rounds_dataset_get_rubric (dataset));
  j->status = ROUNDS_STATUS_SUBMITTED;
  if (n == 2)
    {
      j->has_preference = TRUE;
      j->preference = preference;
    }
  else
    for (guint i = 0; i < n; i++)
      j->ranks[i] = (int) MIN (i + 1, 2u);
  *rounds_judgement_score (j, 0, 0) = 4;
  if (j->n_criteria > 1)
    *rounds_judgement_score (j, 1, 1) = 2;
  j->flags[1] = ROUNDS_FLAG_UNSAFE | ROUNDS_FLAG_OUTDATED;
  j->notes[1] = g_strdup ("misses the guidance");
  j->comment = g_strdup (comment);
  for (guint i = 0; i < n; i++)
    j->shown_order[i] = n - 1 - i;
  j->time_spent_ms = 4200;
  rounds_store_save_judgement (store, item, user, j, &error);
  g_assert_no_error (error);
}

/* Everything of an annotator's current judgement of an item, as one line. */
static char *
signature (RoundsStore *store,
           const char  *key,
           const char  *user)
{
  g_autoptr(RoundsItem) item = find_item (store, key);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsJudgement) j = rounds_store_get_judgement (store, item, user, &error);
  g_autofree char *scores = NULL, *flags = NULL, *notes = NULL, *order = NULL, *ranks = NULL;

  g_assert_no_error (error);
  if (j == NULL)
    return g_strdup ("none");
  scores = _rounds_judgement_scores_to_json (j);
  flags = _rounds_judgement_flags_to_json (j);
  notes = _rounds_judgement_notes_to_json (j);
  order = _rounds_judgement_order_to_json (j);
  ranks = _rounds_judgement_ints_to_json (j->ranks, j->n_responses);
  return g_strdup_printf ("%s r%d %s %s p%d/%d %s u%d %s "
                          "%s %s c=%s s=%s %s t%" G_GINT64_FORMAT " %s",
                          j->edit_id, j->revision, rounds_status_to_string (j->status),
                          j->annotator, j->has_preference, j->preference, ranks, j->unacceptable,
                          scores, flags, notes,
                          j->comment, j->skip_reason, order, j->time_spent_ms, j->created_at);
}

static guint
waiting (RoundsStore *store)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  rounds_sync_count_waiting (store, NULL, &n, &error);
  g_assert_no_error (error);
  return n;
}

/* A sync as one of the test users, in small batches and pages so that a handful of
 * documents crosses several; resends are not delayed. */
static RoundsSync *
new_sync (const char *url,
          const char *user)
{
  g_autofree char *password = rounds_test_couch_password (user);
  RoundsSync *sync = rounds_sync_new (url);

  rounds_sync_set_credentials (sync, user, password);
  rounds_sync_set_batch_size (sync, 4);
  rounds_sync_set_page_size (sync, 3);
  rounds_sync_set_retries (sync, 4, 0);
  return sync;
}

static RoundsSyncResult *
sync_ok (const char          *url,
         RoundsStore         *store,
         const char          *user,
         RoundsSyncDirection  direction)
{
  g_autoptr(RoundsSync) sync = new_sync (url, user);
  g_autoptr(GError) error = NULL;
  RoundsSyncResult *result = NULL;

  rounds_sync_set_direction (sync, direction);
  rounds_sync_run (sync, store, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* A curator's store with the dataset imported and published. */
static RoundsStore *
publish_dataset (Fixture *fixture)
{
  RoundsStore *curator = open_store (fixture, "curator");
  g_autoptr(RoundsSyncResult) result = NULL;

  add_profile (curator, TEST_CURATOR, "Ada Curator", ROUNDS_ROLE_CURATOR | ROUNDS_ROLE_ANNOTATOR);
  import_text (fixture, curator, dataset_jsonl, FALSE);
  result = sync_ok (fixture->db_url, curator, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  /* The dataset, three items and the curator's profile. */
  g_assert_cmpuint (result->n_pushed, ==, 5);
  g_assert_cmpuint (result->forbidden->len, ==, 0);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "item:"), ==, 3);
  return curator;
}

/* An annotator's store that has pulled the published dataset. */
static RoundsStore *
annotator_store (Fixture    *fixture,
                 const char *name,
                 const char *user)
{
  RoundsStore *store = open_store (fixture, name);
  g_autoptr(RoundsSyncResult) result = NULL;

  add_profile (store, user, user, ROUNDS_ROLE_ANNOTATOR);
  result = sync_ok (fixture->db_url, store, user, ROUNDS_SYNC_BOTH);
  g_assert_cmpint (rounds_test_query_int (store, "SELECT COUNT(*) FROM items"), ==, 3);
  return store;
}

/* An item awaiting responses stays in the curator's store until it has them: the store's
 * copy of an item always has two responses or more. */
static void
test_awaiting_not_pushed (Fixture       *fixture,
                          gconstpointer  data)
{
  RoundsStore *curator = publish_dataset (fixture);
  g_autoptr(RoundsSyncResult) first = NULL;
  g_autoptr(RoundsSyncResult) second = NULL;

  import_text (fixture, curator, "{\"type\": \"item\", \"dataset\": \"ethics\", \"id\": \"w1\", "
                                 "\"scenario\": \"Waiting\"}\n", FALSE);
  first = sync_ok (fixture->db_url, curator, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (first->n_pushed, ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "item:"), ==, 3);

  import_text (fixture, curator, "{\"type\": \"item\", \"dataset\": \"ethics\", \"id\": \"w1\", "
                                 "\"scenario\": \"Waiting\", \"responses\": [{\"text\": \"A\"}, "
                                 "{\"text\": \"B\"}]}\n", FALSE);
  second = sync_ok (fixture->db_url, curator, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (second->n_pushed, ==, 1);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "item:"), ==, 4);
}

/* A judgement pulled for an item that waits here for its responses waits with it, parked,
 * and is applied once the item has them. */
static void
test_awaiting_judgement_parked (Fixture       *fixture,
                                gconstpointer  data)
{
  RoundsStore *lin = open_store (fixture, "lin");
  g_autoptr(RoundsSyncResult) first = NULL;
  g_autoptr(RoundsSyncResult) second = NULL;

  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"dataset:ethics\", \"type\": \"dataset\", \"schema\": 1, "
                         "\"id\": \"ethics\"}");
  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"judgement:dr-osei:ethics:w1:e1\", \"type\": \"judgement\", "
                         "\"schema\": 1, \"annotator\": \"dr-osei\", \"dataset\": \"ethics\", "
                         "\"item\": \"w1\", \"edit\": \"e1\", \"revision\": 1, "
                         "\"created_at\": \"2026-01-01T00:00:00Z\", \"preference\": 1}");
  add_profile (lin, TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_ANNOTATOR);
  import_text (fixture, lin, "{\"type\": \"item\", \"dataset\": \"ethics\", \"id\": \"w1\", "
                             "\"scenario\": \"Waiting\"}\n", FALSE);

  first = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_PULL);
  g_assert_cmpuint (first->n_parked, ==, 1);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT COUNT(*) FROM annotations"), ==, 0);

  import_text (fixture, lin, "{\"type\": \"item\", \"dataset\": \"ethics\", \"id\": \"w1\", "
                             "\"scenario\": \"Waiting\", \"responses\": [{\"text\": \"A\"}, "
                             "{\"text\": \"B\"}]}\n", FALSE);
  second = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_PULL);
  g_assert_cmpuint (second->n_parked, ==, 0);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT COUNT(*) FROM annotations"), ==, 1);
}

/* Round trip --------------------------------------------------------------------------- */

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  RoundsStore *curator = publish_dataset (fixture);
  RoundsStore *lin = annotator_store (fixture, "lin", TEST_ANNOTATOR);
  RoundsStore *osei = open_store (fixture, "osei");
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(RoundsItem) item = NULL;
  g_autofree char *reference = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (item_keys); i++)
    judge (lin, item_keys[i], TEST_ANNOTATOR, -1 - (int) (i % 2), "Sound reasoning; 合理。");
  judge (lin, "c1", TEST_ANNOTATOR, 2, "On second thoughts");
  g_assert_cmpuint (waiting (lin), ==, 4);

  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  /* Four edits; the profile went up when the store first pulled. */
  g_assert_cmpuint (result->n_pushed, ==, 4);
  g_assert_cmpuint (result->n_waiting, ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url,
                                                  "judgement:dr-lin:ethics:"), ==, 4);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT COUNT(*) FROM audit_log WHERE action LIKE "
                                               "'judgement.%' AND synced = 1"), ==, 4);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* An empty store as someone else pulls it all: the same judgements, field by field. */
  add_profile (osei, TEST_ANNOTATOR_2, "Dr Osei", ROUNDS_ROLE_ANNOTATOR);
  result = sync_ok (fixture->db_url, osei, TEST_ANNOTATOR_2, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_skipped, ==, 0);
  g_assert_cmpuint (result->n_parked, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (item_keys); i++)
    {
      g_autofree char *mine = signature (lin, item_keys[i], TEST_ANNOTATOR);
      g_autofree char *theirs = signature (osei, item_keys[i], TEST_ANNOTATOR);

      g_assert_cmpstr (theirs, ==, mine);
    }
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM annotations"), ==, 4);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM annotations WHERE origin = "
                                                "'remote' AND synced = 1"), ==, 4);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM annotations "
                                                "WHERE is_current = 1"), ==, 3);

  /* The items came whole: responses, models, metadata, the hidden reference. */
  item = find_item (osei, "c1");
  g_assert_cmpstr (rounds_item_get_title (item), ==, "Contraception at 16");
  g_assert_cmpuint (rounds_item_get_n_responses (item), ==, 2);
  g_assert_cmpstr (rounds_item_get_response_model (item, 1), ==, "model-two");
  g_assert_cmpstr (rounds_item_get_response_text (item, 0), ==, "Assess competence.");
  reference = rounds_test_query_text (osei,
                                      "SELECT reference_json FROM items WHERE key = 'c1'", NULL);
  g_assert_nonnull (strstr (reference, "Fraser guidance"));
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM items WHERE key = 'c:2' "
                                                "AND language = 'zh-CN'"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT overlap FROM datasets "
                                                "WHERE name = 'ethics'"), ==, 3);
  /* The same content hash as the curator's import: importing the file here changes nothing. */
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM items WHERE published = 1 "
                                                "AND remote_rev IS NOT NULL"), ==, 3);
  import_text (fixture, osei, dataset_jsonl, FALSE);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM items"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM annotators WHERE user_name = "
                                                "'dr-lin' AND specialty = 'paediatrics'"), ==, 1);

  /* The curator pulls the labels too. */
  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, curator, TEST_CURATOR, ROUNDS_SYNC_PULL);
  g_assert_cmpint (rounds_test_query_int (curator, "SELECT COUNT(*) FROM annotations"), ==, 4);
  g_assert_cmpint (rounds_test_query_int (curator,
                                          "SELECT n_submitted FROM items WHERE key = 'c1'"), ==, 1);
}

/* Idempotence -------------------------------------------------------------------------- */

static RoundsStore *
store_with_judgements (Fixture    *fixture,
                       const char *name,
                       const char *user,
                       guint       n_edits)
{
  RoundsStore *store = open_store (fixture, name);

  add_profile (store, user, user, ROUNDS_ROLE_ANNOTATOR);
  import_text (fixture, store, dataset_jsonl, FALSE);
  for (guint i = 0; i < n_edits; i++)
    judge (store, item_keys[i % G_N_ELEMENTS (item_keys)], user, (int) (i % 5) - 2, "edit");
  g_assert_cmpuint (waiting (store), ==, n_edits);
  return store;
}

static void
test_repush (Fixture       *fixture,
             gconstpointer  data)
{
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 7);
  g_autoptr(RoundsSyncResult) result = NULL;

  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_PUSH);
  g_assert_cmpuint (result->n_pushed, ==, 8);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 7);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* Nothing to do: nothing sent. */
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_PUSH);
  g_assert_cmpuint (result->n_pushed, ==, 0);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* A crash between the server's answer and the local commit: all of it goes again, and
   * the server still holds each document once, with our content. */
  rounds_test_exec (lin, "UPDATE annotations SET synced = 0");
  g_assert_cmpuint (waiting (lin), ==, 7);
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_PUSH);
  g_assert_cmpuint (result->n_pushed, ==, 7);
  g_assert_cmpuint (result->forbidden->len, ==, 0);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  g_assert_cmpuint (result->n_waiting, ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 7);
}

/* Faults, table-driven ------------------------------------------------------------------ */

typedef struct
{
  const char       *match;
  RoundsTestFault   fault;
} FaultCase;

static const FaultCase fault_cases[] = {
  { "_bulk_docs", ROUNDS_TEST_FAULT_DROP },
  { "_bulk_docs", ROUNDS_TEST_FAULT_DROP_ANSWER },
  { "_bulk_docs", ROUNDS_TEST_FAULT_STATUS_500 },
  { "_bulk_docs", ROUNDS_TEST_FAULT_CUT_SHORT },
  { "_bulk_docs", ROUNDS_TEST_FAULT_STALL },
  { "_changes", ROUNDS_TEST_FAULT_DROP_ANSWER },
  { "_changes", ROUNDS_TEST_FAULT_CUT_SHORT },
  { "_all_docs", ROUNDS_TEST_FAULT_DROP },
};

static void
check_pushed_once (Fixture     *fixture,
                   RoundsStore *store,
                   guint        n_edits)
{
  g_assert_cmpuint (waiting (store), ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, n_edits);
  g_assert_cmpint (rounds_test_query_int (store, "SELECT COUNT(*) FROM annotations"), ==, n_edits);
}

/* With resends: the run goes through the fault and the result is as without it. */
static void
test_fault_retried (Fixture       *fixture,
                    gconstpointer  data)
{
  const FaultCase *c = data;
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 6);
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsSync) sync = new_sync (url, TEST_ANNOTATOR);
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* An unanswered first batch leaves an _all_docs to check; give that one a fault too. */
  if (g_str_equal (c->match, "_all_docs"))
    rounds_test_proxy_add_fault (proxy, "_bulk_docs", ROUNDS_TEST_FAULT_DROP_ANSWER);
  rounds_test_proxy_add_fault (proxy, c->match, c->fault);
  rounds_sync_set_timeouts (sync, 5000, 1500);
  rounds_sync_run (sync, lin, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds_test_proxy_count_faults (proxy), ==, 0);
  g_assert_cmpuint (result->forbidden->len, ==, 0);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  check_pushed_once (fixture, lin, 6);
  /* Six edits and the profile, each counted once however often it was sent. */
  g_assert_cmpuint (result->n_pushed, ==, 7);
}

/* Without resends: the run fails with the fault, keeps what it committed, and the next
 * run finishes the job with nothing lost and nothing twice. */
static void
test_fault_then_retry (Fixture       *fixture,
                       gconstpointer  data)
{
  const FaultCase *c = data;
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 6);
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsSync) sync = new_sync (url, TEST_ANNOTATOR);
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int code;
  gboolean ok;

  rounds_test_proxy_add_fault (proxy, c->match, c->fault);
  rounds_sync_set_timeouts (sync, 5000, 1500);
  rounds_sync_set_retries (sync, 1, 0);
  ok = rounds_sync_run (sync, lin, &result, NULL, &error);
  g_assert_false (ok);
  code = c->fault == ROUNDS_TEST_FAULT_STALL ? ROUNDS_COUCH_ERROR_TIMEOUT
         : c->fault == ROUNDS_TEST_FAULT_STATUS_500 ? ROUNDS_COUCH_ERROR_SERVER
         : ROUNDS_COUCH_ERROR_INTERRUPTED;
  g_assert_error (error, ROUNDS_COUCH_ERROR, code);
  g_assert_true (rounds_couch_error_is_unknown_outcome (error));
  g_clear_error (&error);
  g_clear_pointer (&result, rounds_sync_result_free);

  rounds_sync_run (sync, lin, &result, NULL, &error);
  g_assert_no_error (error);
  check_pushed_once (fixture, lin, 6);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT COUNT(*) FROM audit_log WHERE "
                                               "action = 'sync.fail'"), ==, 1);
}

/* A server that is down, then back. */
static void
test_server_down (Fixture       *fixture,
                  gconstpointer  data)
{
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 3);
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsSync) sync = new_sync (url, TEST_ANNOTATOR);
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Every try of every batch is cut off. */
  for (guint i = 0; i < 4; i++)
    rounds_test_proxy_add_fault (proxy, "_bulk_docs", ROUNDS_TEST_FAULT_DROP);
  g_assert_false (rounds_sync_run (sync, lin, &result, NULL, &error));
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_INTERRUPTED);
  g_assert_cmpuint (waiting (lin), ==, 3);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 0);
  g_clear_error (&error);

  rounds_sync_run (sync, lin, &result, NULL, &error);
  g_assert_no_error (error);
  check_pushed_once (fixture, lin, 3);
}

/* 413: batches are halved until they fit; a document too large alone stays, listed. */
static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 9);
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsSync) sync = new_sync (url, TEST_ANNOTATOR);
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GString) long_comment = g_string_new (NULL);

  while (long_comment->len < 4000)
    g_string_append (long_comment, "A very long comment. ");
  judge (lin, "c1", TEST_ANNOTATOR, 1, long_comment->str);

  /* About two judgements fit in a request. */
  rounds_test_proxy_set_max_body (proxy, 2200);
  rounds_sync_run (sync, lin, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->forbidden->len, ==, 1);
  g_assert_cmpstr (((RoundsSyncProblem *) g_ptr_array_index (result->forbidden, 0))->error,
                   ==, "too_large");
  g_assert_cmpuint (result->n_waiting, ==, 1);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 9);
  /* More requests than batches of four: some were refused and split. */
  g_assert_cmpuint (rounds_test_proxy_count (proxy, "_bulk_docs"), >, 3);

  problems = rounds_sync_list_problems (lin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);

  /* A server that takes it after all: it goes, and the problem is gone. */
  rounds_test_proxy_set_max_body (proxy, 0);
  g_clear_pointer (&result, rounds_sync_result_free);
  g_clear_pointer (&problems, g_ptr_array_unref);
  rounds_sync_run (sync, lin, &result, NULL, &error);
  g_assert_no_error (error);
  check_pushed_once (fixture, lin, 10);
  problems = rounds_sync_list_problems (lin, &error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Security ----------------------------------------------------------------------------- */

static void
insert_verdict (RoundsStore *store,
                const char  *key,
                const char  *reviewer,
                const char  *edit,
                int          revision,
                const char  *created_at)
{
  g_autoptr(RoundsItem) item = find_item (store, key);
  g_autofree char *doc_id = _rounds_doc_id ("verdict", "ethics", key, reviewer, edit, NULL);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO adjudications (edit_id, doc_id, item_id, reviewer_id, revision, "
    "preference, scores_json,"
    " rationale, resolves_json, created_at, origin, is_current)"
    " VALUES ('%s', '%s', %" G_GINT64_FORMAT ", (SELECT id FROM annotators WHERE "
                                             "user_name = '%s'), %d, -1,"
    " '[{\"accuracy\":5},{}]', 'A is in line with the guidance', '[\"e1\"]', '%s', 'local', 1)",
    edit, doc_id, rounds_item_get_id (item), reviewer, revision, created_at);

  rounds_test_exec (store, sql);
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  data)
{
  RoundsStore *lin = open_store (fixture, "lin");
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  RoundsSyncProblem *problem;

  /* The profile here says reviewer; the store knows better. */
  add_profile (lin, TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER);
  import_text (fixture, lin, dataset_jsonl, FALSE);
  judge (lin, "c1", TEST_ANNOTATOR, -2, "first");
  insert_verdict (lin, "c1", TEST_ANNOTATOR, "v1", 1, "2026-01-01T10:00:00.000Z");
  judge (lin, "c3", TEST_ANNOTATOR, 0, "second");

  /* One batch with all of it: the store takes some documents and refuses one. */
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_pushed, ==, 3);
  g_assert_cmpuint (result->forbidden->len, ==, 1);
  problem = g_ptr_array_index (result->forbidden, 0);
  g_assert_cmpint (problem->kind, ==, ROUNDS_SYNC_PROBLEM_FORBIDDEN);
  g_assert_cmpstr (problem->error, ==, "forbidden");
  g_assert_true (g_str_has_prefix (problem->doc_id, "verdict:ethics:c1:dr-lin:v1"));
  g_assert_nonnull (strstr (problem->reason, "reviewer role"));
  g_assert_cmpuint (result->n_waiting, ==, 1);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 2);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "verdict:"), ==, 0);

  /* It stays in the outbox, listed with the reason, and is tried again next time. */
  problems = rounds_sync_list_problems (lin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((RoundsSyncProblem *) g_ptr_array_index (problems, 0))->reason, ==,
                   problem->reason);
  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_pushed, ==, 0);
  g_assert_cmpuint (result->forbidden->len, ==, 1);
  g_assert_cmpuint (waiting (lin), ==, 1);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT COUNT(*) FROM "
                                               "adjudications WHERE synced = 0"), ==, 1);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 2);
}

/* Somebody else's judgements, pushed under one's own name, are refused one by one. */
static void
test_forbidden_other_annotator (Fixture       *fixture,
                                gconstpointer  data)
{
  RoundsStore *shared = store_with_judgements (fixture, "ward-pc", TEST_ANNOTATOR_2, 2);
  g_autoptr(RoundsSync) sync = new_sync (fixture->db_url, TEST_ANNOTATOR);
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  rounds_sync_set_profile (sync, TEST_ANNOTATOR_2);
  rounds_sync_run (sync, shared, &result, NULL, &error);
  g_assert_no_error (error);
  /* Two judgements and the profile of dr-osei. */
  g_assert_cmpuint (result->forbidden->len, ==, 3);
  for (guint i = 0; i < result->forbidden->len; i++)
    {
      RoundsSyncProblem *problem = g_ptr_array_index (result->forbidden, i);

      g_assert_cmpstr (problem->error, ==, "forbidden");
      /* Each refusal names its document: dr-osei's, not the signed-in dr-lin's. */
      g_test_message ("%s", problem->doc_id);
      g_assert_nonnull (strstr (problem->doc_id, "dr-osei"));
    }
  g_assert_cmpuint (result->n_waiting, ==, 2);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 0);
}

static guint
n_requests (RoundsTestProxy *proxy)
{
  g_autoptr(GPtrArray) requests = rounds_test_proxy_get_requests (proxy);

  return requests->len;
}

/* A wrong password costs one request per sync attempt, the login, and nothing is retried:
 * CouchDB locks an account out after a few failed logins. */
static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const roles[] = { "annotator", NULL };
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 2);
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsSync) sync = rounds_sync_new (url);
  g_autofree char *user = rounds_test_couch_new_user ("wrong-pw", roles);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autofree char *detail = NULL;

  rounds_sync_set_credentials (sync, user, "wrong-password");
  for (guint attempt = 1; attempt <= 2; attempt++)
    {
      g_clear_error (&error);
      g_assert_false (rounds_sync_run (sync, lin, &result, NULL, &error));
      g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED);
      g_assert_nonnull (strstr (error->message, "Wrong user name or password"));
      g_assert_null (result);
      g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, attempt);
      g_assert_cmpuint (n_requests (proxy), ==, attempt);
    }
  g_assert_cmpuint (waiting (lin), ==, 2);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 0);
  detail = rounds_test_query_text (lin, "SELECT detail_json FROM audit_log WHERE "
                                        "action = 'sync.fail'", NULL);
  g_assert_nonnull (strstr (detail, "Wrong user name or password"));
  g_assert_null (strstr (detail, "wrong-password"));
}

/* Security ----------------------------------------------------------------------------- */

/* A dataset and its items, pushed by somebody whose profile here says curator but whom the
 * store knows as an annotator: each refused, listed by its id, nothing published. */
static void
test_security_item_by_non_curator (Fixture       *fixture,
                                   gconstpointer  data)
{
  RoundsStore *lin = open_store (fixture, "lin");
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint n_items = 0;

  add_profile (lin, TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_CURATOR | ROUNDS_ROLE_ANNOTATOR);
  import_text (fixture, lin, dataset_jsonl, FALSE);
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_PUSH);
  g_assert_cmpuint (result->forbidden->len, >, 0);
  problems = rounds_sync_list_problems (lin, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    {
      RoundsSyncProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpstr (problem->error, ==, "forbidden");
      g_assert_nonnull (strstr (problem->reason, "curator role"));
      n_items += g_str_has_prefix (problem->doc_id, "item:ethics:");
    }
  g_assert_cmpuint (n_items, ==, G_N_ELEMENTS (item_keys));
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "item:"), ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "dataset:"), ==, 0);
}

/* A user without a member role writes nothing: the sync stops, naming the user and the
 * database, and a document sent by hand is refused too. */
static void
test_security_non_member (Fixture       *fixture,
                          gconstpointer  data)
{
  RoundsStore *outsider = store_with_judgements (fixture, "outsider", TEST_OUTSIDER, 1);
  g_autoptr(RoundsSync) sync = new_sync (fixture->db_url, TEST_OUTSIDER);
  g_autoptr(RoundsCouch) couch = rounds_test_couch_as (fixture->db_url, TEST_OUTSIDER);
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  g_assert_false (rounds_sync_run (sync, outsider, NULL, NULL, &error));
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, TEST_OUTSIDER));
  g_assert_nonnull (strstr (error->message, fixture->db_url));
  g_assert_cmpuint (waiting (outsider), ==, 1);
  g_clear_error (&error);

  json_object_set_string_member (doc, "type", "judgement");
  json_object_set_string_member (doc, "annotator", TEST_OUTSIDER);
  json_object_set_int_member (doc, "schema", 1);
  rev = rounds_couch_put_doc (couch, "judgement:no-role:ethics:c1:e1", doc, NULL, &error);
  g_assert_null (rev);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 0);
}

/* Nobody reads the store without signing in: not a document, not the changes. */
static void
test_security_anonymous_read (Fixture       *fixture,
                              gconstpointer  data)
{
  RoundsStore *curator = publish_dataset (fixture);
  g_autoptr(RoundsCouch) anonymous = rounds_couch_new (fixture->db_url, NULL);
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (curator);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "item:"), ==,
                    G_N_ELEMENTS (item_keys));
  doc = rounds_couch_get_doc (anonymous, "dataset:ethics", NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "needs a user name and password"));
  g_clear_error (&error);
  page = rounds_couch_changes (anonymous, NULL, 10, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_UNAUTHORIZED);
}

/* A member, a curator too, cannot rewrite `_security` to let others in or shut them out:
 * only an administrator of the database can. pouchdb-server does not enforce it. */
static void
test_security_member_rewrites_security (Fixture       *fixture,
                                        gconstpointer  data)
{
  const char * const members[] = { TEST_ANNOTATOR, TEST_CURATOR };
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonNode) before_node = json_node_alloc ();
  g_autoptr(JsonNode) after_node = json_node_alloc ();
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;

  if (!rounds_test_couch_is_couchdb ())
    {
      g_test_skip ("pouchdb-server lets members write _security");
      return;
    }
  before = rounds_test_couch_get (fixture->db_url, "_security");
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(RoundsCouch) couch = rounds_test_couch_as (fixture->db_url, members[i]);
      g_autoptr(JsonNode) body = json_from_string ("{\"members\": {\"names\": [\"dr-lin\"], "
                                                   "\"roles\": []}, \"admins\": {\"names\": "
                                                   "[\"dr-lin\"], \"roles\": []}}", NULL);
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GError) error = NULL;

      answer = rounds_couch_request (couch, "PUT", "_security", body, NULL, NULL, &error);
      g_assert_null (answer);
      g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_FORBIDDEN);
      g_assert_nonnull (strstr (error->message, members[i]));
      g_assert_nonnull (strstr (error->message, "_security"));
    }
  after = rounds_test_couch_get (fixture->db_url, "_security");
  before_json = json_to_string (json_node_init_object (before_node, before), FALSE);
  after_json = json_to_string (json_node_init_object (after_node, after), FALSE);
  g_assert_cmpstr (after_json, ==, before_json);
}

/* Two machines ------------------------------------------------------------------------- */

static void
test_two_machines (Fixture       *fixture,
                   gconstpointer  data)
{
  RoundsStore *curator = publish_dataset (fixture);
  RoundsStore *ward = annotator_store (fixture, "ward", TEST_ANNOTATOR);
  RoundsStore *home = annotator_store (fixture, "home", TEST_ANNOTATOR);
  RoundsStore *reviewer = open_store (fixture, "reviewer");
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autofree char *ward_edit = NULL;
  g_autofree char *home_edit = NULL;
  g_autofree char *newest = NULL;
  RoundsStore *stores[3];

  /* The same annotator judges the same item on two machines, neither knowing the other. */
  judge (ward, "c1", TEST_ANNOTATOR, -2, "on the ward");
  g_usleep (5000);
  judge (home, "c1", TEST_ANNOTATOR, 1, "at home");
  ward_edit = rounds_test_query_text (ward, "SELECT edit_id FROM annotations", NULL);
  home_edit = rounds_test_query_text (home, "SELECT edit_id FROM annotations", NULL);

  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, ward, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, home, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, ward, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* Two events, no conflict. */
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url,
                                                  "judgement:dr-lin:ethics:c1:"), ==, 2);

  add_profile (reviewer, TEST_REVIEWER, "Dr Kim", ROUNDS_ROLE_REVIEWER | ROUNDS_ROLE_ANNOTATOR);
  result = sync_ok (fixture->db_url, reviewer, TEST_REVIEWER, ROUNDS_SYNC_BOTH);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* Everywhere the newer edit is current and the older is in the history. */
  stores[0] = ward;
  stores[1] = home;
  stores[2] = reviewer;
  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_autofree char *current = rounds_test_query_text (stores[i],
                                                         "SELECT edit_id FROM annotations "
                                                         "WHERE is_current = 1", NULL);

      g_assert_cmpint (rounds_test_query_int (stores[i],
                                              "SELECT COUNT(*) FROM annotations"), ==, 2);
      g_assert_cmpint (rounds_test_query_int (stores[i], "SELECT COUNT(*) FROM annotations "
                                                         "WHERE is_current = 1"), ==, 1);
      g_assert_cmpstr (current, ==, home_edit);
      g_assert_cmpint (rounds_test_query_int (stores[i], "SELECT n_submitted FROM "
                                                         "items WHERE key = 'c1'"), ==, 1);
    }

  /* Revising after seeing the other: a higher revision, current everywhere. */
  judge (ward, "c1", TEST_ANNOTATOR, 0, "revised on the ward");
  newest = rounds_test_query_text (ward,
                                   "SELECT edit_id FROM annotations WHERE revision = 2", NULL);
  g_assert_nonnull (newest);
  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_autofree char *current = NULL;

      result = sync_ok (fixture->db_url, stores[i], i < 2 ? TEST_ANNOTATOR : TEST_REVIEWER,
                        ROUNDS_SYNC_BOTH);
      g_clear_pointer (&result, rounds_sync_result_free);
      current = rounds_test_query_text (stores[i], "SELECT edit_id FROM annotations "
                                                   "WHERE is_current = 1", NULL);
      if (i == 0)
        continue;
      g_assert_cmpstr (current, ==, newest);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_autofree char *current = NULL;

      result = sync_ok (fixture->db_url, stores[i], i < 2 ? TEST_ANNOTATOR : TEST_REVIEWER,
                        ROUNDS_SYNC_PULL);
      g_clear_pointer (&result, rounds_sync_result_free);
      current = rounds_test_query_text (stores[i], "SELECT edit_id FROM annotations "
                                                   "WHERE is_current = 1", NULL);
      g_assert_cmpstr (current, ==, newest);
      g_assert_cmpint (rounds_test_query_int (stores[i],
                                              "SELECT COUNT(*) FROM annotations"), ==, 3);
    }
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url,
                                                  "judgement:dr-lin:ethics:c1:"), ==, 3);
  (void) curator;
}

/* The guardian's judgements travel like any others, written by a curator only; where they
 * arrive they are a machine's and fill no overlap. */
static void
test_guardian (Fixture       *fixture,
               gconstpointer  data)
{
  RoundsStore *curator = publish_dataset (fixture);
  RoundsStore *ward = annotator_store (fixture, "ward", TEST_ANNOTATOR);
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autofree char *kind = NULL;
  RoundsSyncProblem *problem;

  judge (curator, "c1", "guardian:test/model:7b", -2, "from the evaluator");
  result = sync_ok (fixture->db_url, curator, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_pushed, ==, 1);
  g_assert_cmpuint (result->forbidden->len, ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url,
                                                  "judgement:guardian%3Atest/model%3A7b:ethics:c1:"),
                    ==, 1);

  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, ward, TEST_ANNOTATOR, ROUNDS_SYNC_PULL);
  kind = rounds_test_query_text (ward, "SELECT kind FROM annotators WHERE user_name = ?1",
                                 "guardian:test/model:7b");
  g_assert_cmpstr (kind, ==, "machine");
  g_assert_cmpint (rounds_test_query_int (ward, "SELECT COUNT(*) FROM annotations"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (ward, "SELECT n_submitted FROM items"
                                                " WHERE key = 'c1'"), ==, 0);

  /* An annotator's machine judgement is refused by the store and stays in the outbox. */
  judge (ward, "c3", "guardian:other", 0, "not mine to write");
  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, ward, TEST_ANNOTATOR, ROUNDS_SYNC_PUSH);
  g_assert_cmpuint (result->forbidden->len, ==, 1);
  problem = g_ptr_array_index (result->forbidden, 0);
  g_assert_true (g_str_has_prefix (problem->doc_id, "judgement:guardian%3Aother:ethics:c3:"));
  g_assert_nonnull (strstr (problem->reason, "curator role"));
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:guardian%3Aother"),
                    ==, 0);
}

/* Verdicts, and events that arrive before their item ------------------------------------ */

static void
test_verdicts_and_parking (Fixture       *fixture,
                           gconstpointer  data)
{
  RoundsStore *kim = open_store (fixture, "kim");
  RoundsStore *other = open_store (fixture, "other");
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autofree char *scores = NULL;

  add_profile (kim, TEST_REVIEWER, "Dr Kim", ROUNDS_ROLE_REVIEWER | ROUNDS_ROLE_ANNOTATOR);
  import_text (fixture, kim, dataset_jsonl, FALSE);
  insert_verdict (kim, "c1", TEST_REVIEWER, "v1", 1, "2026-01-01T10:00:00.000Z");
  insert_verdict (kim, "c1", TEST_REVIEWER, "v2", 2, "2026-01-01T11:00:00.000Z");
  rounds_test_exec (kim, "UPDATE adjudications SET is_current = 0 WHERE edit_id = 'v1'");
  result = sync_ok (fixture->db_url, kim, TEST_REVIEWER, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->forbidden->len, ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url,
                                                  "verdict:ethics:c1:rev-kim:"), ==, 2);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* A store without the items keeps the verdicts waiting, then applies them. */
  add_profile (other, TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_ANNOTATOR);
  result = sync_ok (fixture->db_url, other, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_parked, ==, 2);
  g_assert_cmpint (rounds_test_query_int (other, "SELECT COUNT(*) FROM adjudications"), ==, 0);
  g_clear_pointer (&result, rounds_sync_result_free);

  import_text (fixture, other, dataset_jsonl, FALSE);
  result = sync_ok (fixture->db_url, other, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_parked, ==, 0);
  g_assert_cmpint (rounds_test_query_int (other, "SELECT COUNT(*) FROM adjudications"), ==, 2);
  g_assert_cmpint (rounds_test_query_int (other, "SELECT COUNT(*) FROM meta WHERE key "
                                                 "LIKE 'sync.parked:%'"), ==, 0);
  g_assert_cmpint (rounds_test_query_int (other, "SELECT revision FROM adjudications "
                                                 "WHERE is_current = 1"), ==, 2);
  g_assert_cmpint (rounds_test_query_int (other, "SELECT preference FROM adjudications "
                                                 "WHERE edit_id = 'v2'"), ==, -1);
  scores = rounds_test_query_text (other, "SELECT scores_json FROM adjudications "
                                          "WHERE edit_id = 'v2'", NULL);
  g_assert_cmpstr (scores, ==, "[{\"accuracy\":5},{}]");
  g_assert_cmpint (rounds_test_query_int (other, "SELECT COUNT(*) FROM adjudications WHERE origin "
                                                 "= 'remote' AND synced = 1"), ==, 2);
}

/* Pull --------------------------------------------------------------------------------- */

/* The `since` of the first _changes request from the @from'th request on. */
static char *
first_changes_since (RoundsTestProxy *proxy,
                     guint            from)
{
  g_autoptr(GPtrArray) requests = rounds_test_proxy_get_requests (proxy);

  for (guint i = from; i < requests->len; i++)
    {
      const char *line = g_ptr_array_index (requests, i);
      const char *since = strstr (line, "since=");

      if (strstr (line, "_changes") != NULL && since != NULL)
        return g_strndup (since + 6, strcspn (since + 6, "& "));
    }
  return NULL;
}

static void
test_pull_resumes (Fixture       *fixture,
                   gconstpointer  data)
{
  RoundsStore *curator = publish_dataset (fixture);
  RoundsStore *lin = annotator_store (fixture, "lin", TEST_ANNOTATOR);
  RoundsStore *osei = open_store (fixture, "osei");
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);
  g_autoptr(RoundsSync) sync = new_sync (url, TEST_ANNOTATOR_2);
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) mirror = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *mirror_id = NULL;
  g_autofree char *checkpoint = NULL;
  g_autofree char *resumed = NULL;
  g_autofree char *replayed = NULL;
  guint from;

  for (guint i = 0; i < G_N_ELEMENTS (item_keys); i++)
    judge (lin, item_keys[i], TEST_ANNOTATOR, 1, "fine");
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* The first page comes; the connection drops on the second; no resend. */
  add_profile (osei, TEST_ANNOTATOR_2, "Dr Osei", ROUNDS_ROLE_ANNOTATOR);
  rounds_sync_set_direction (sync, ROUNDS_SYNC_PULL);
  rounds_sync_set_retries (sync, 1, 0);
  rounds_test_proxy_add_fault (proxy, "_changes", ROUNDS_TEST_FAULT_PASS);
  rounds_test_proxy_add_fault (proxy, "_changes", ROUNDS_TEST_FAULT_DROP);
  g_assert_false (rounds_sync_run (sync, osei, &result, NULL, &error));
  g_assert_error (error, ROUNDS_COUCH_ERROR, ROUNDS_COUCH_ERROR_INTERRUPTED);
  g_clear_error (&error);

  /* The first page is applied and the checkpoint moved, here and in the store. */
  checkpoint = rounds_test_query_text (osei, "SELECT since FROM sync_checkpoints", NULL);
  g_assert_nonnull (checkpoint);
  g_assert_cmpstr (checkpoint, !=, "0");
  client_id = rounds_test_query_text (osei,
                                      "SELECT value FROM meta WHERE key = 'sync.client_id'", NULL);
  mirror_id = g_strconcat ("_local/rounds-", client_id, NULL);
  mirror = rounds_test_couch_get (fixture->db_url, mirror_id);
  g_assert_nonnull (mirror);
  g_assert_cmpstr (json_object_get_string_member (mirror, "since"), ==, checkpoint);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT (SELECT COUNT(*) FROM datasets) + (SELECT "
                                                "COUNT(*) FROM items)"
                                " + (SELECT COUNT(*) FROM annotations) + (SELECT COUNT(*) FROM "
                                "annotators WHERE is_local = 0)"),
                   >, 0);

  /* The next run goes on from there. */
  rounds_sync_set_retries (sync, 4, 0);
  from = n_requests (proxy);
  rounds_sync_run (sync, osei, &result, NULL, &error);
  g_assert_no_error (error);
  resumed = first_changes_since (proxy, from);
  g_assert_cmpstr (resumed, ==, checkpoint);
  g_assert_cmpuint (result->n_unchanged, ==, 0);
  g_clear_pointer (&result, rounds_sync_result_free);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM datasets"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM items"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM responses"), ==, 7);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM annotations"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM annotators"), ==, 3);

  /* Without the store's copy of the checkpoint (a database restored, say), the feed is
   * read again from the start: a replay, which changes nothing. */
  {
    g_autoptr(RoundsCouch) admin = rounds_test_couch_admin (fixture->db_url);
    g_autoptr(JsonObject) doc = rounds_test_couch_get (fixture->db_url, mirror_id);
    g_autofree char *path = g_strdup_printf ("%s?rev=%s", mirror_id,
                                             json_object_get_string_member (doc, "_rev"));
    g_autoptr(JsonNode) answer = rounds_couch_request (admin, "DELETE", path, NULL, NULL,
                                                       NULL, &error);

    g_assert_no_error (error);
  }
  from = n_requests (proxy);
  rounds_sync_run (sync, osei, &result, NULL, &error);
  g_assert_no_error (error);
  replayed = first_changes_since (proxy, from);
  g_assert_cmpstr (replayed, ==, "0");
  g_assert_cmpuint (result->n_pulled, ==, 0);
  g_assert_cmpuint (result->n_unchanged, >=, 9);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM items"), ==, 3);
  g_assert_cmpint (rounds_test_query_int (osei, "SELECT COUNT(*) FROM annotations"), ==, 3);
  (void) curator;
}

/* Documents of unknown types, newer schemas, or unreadable are skipped, never fatal (the
 * tests run with G_DEBUG=fatal-warnings: no warning either). */
static void
test_skip_unknown (Fixture       *fixture,
                   gconstpointer  data)
{
  RoundsStore *lin = open_store (fixture, "lin");
  g_autoptr(RoundsSyncResult) result = NULL;

  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"dataset:ethics\", \"type\": \"dataset\", \"schema\": 1, "
                         "\"id\": \"ethics\","
                         " \"title\": \"Published by another tool\", \"scale\": 7}");
  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"item:ethics:c1\", \"type\": \"item\", \"schema\": 1, "
                         "\"dataset\": \"ethics\","
                         " \"id\": \"c1\", \"scenario\": \"S\", \"responses\": [{\"id\": \"a\", "
                         "\"text\": \"A\"},"
                         " {\"id\": \"b\", \"text\": \"B\"}]}");
  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"mystery:1\", \"type\": \"mystery\", \"schema\": 1}");
  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"judgement:dr-osei:ethics:c1:future\", \"type\": "
                         "\"judgement\", \"schema\": 2,"
                         " \"annotator\": \"dr-osei\", \"dataset\": \"ethics\", \"item\": \"c1\", "
                         "\"edit\": \"future\","
                         " \"revision\": 1, \"created_at\": \"2030-01-01T00:00:00Z\", "
                         "\"preference\": 1}");
  rounds_test_couch_put (fixture->db_url, "{\"_id\": \"no-schema\", \"type\": \"judgement\"}");
  rounds_test_couch_put (fixture->db_url, "{\"_id\": \"no-type\", \"schema\": 1}");
  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"judgement:dr-osei:ethics:c1:bad\", \"type\": \"judgement\", "
                         "\"schema\": 1,"
                         " \"annotator\": \"dr-osei\", \"dataset\": \"ethics\", \"item\": \"c1\", "
                         "\"edit\": \"bad\","
                         " \"revision\": \"one\", \"created_at\": \"2026-01-01T00:00:00Z\"}");
  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"judgement:dr-osei:ethics:c1:shifted\", \"type\": "
                         "\"judgement\", \"schema\": 1,"
                         " \"annotator\": \"dr-osei\", \"dataset\": \"ethics\", \"item\": \"c1\", "
                         "\"edit\": \"shifted\","
                         " \"revision\": 1, \"created_at\": \"2026-01-01T00:00:00Z\", "
                         "\"responses\": [\"b\", \"a\"]}");
  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"judgement:dr-osei:ethics:c1:good\", \"type\": \"judgement\", "
                         "\"schema\": 1,"
                         " \"annotator\": \"dr-osei\", \"dataset\": \"ethics\", \"item\": \"c1\", "
                         "\"edit\": \"good\","
                         " \"revision\": 1, \"created_at\": \"2026-01-01T00:00:00Z\", "
                         "\"preference\": 3,"
                         " \"flags\": {\"b\": [\"unsafe\", \"not-a-flag\"]}}");

  add_profile (lin, TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_ANNOTATOR);
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_skipped, ==, 6);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT scale FROM datasets "
                                               "WHERE name = 'ethics'"), ==, 7);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT COUNT(*) FROM items"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT COUNT(*) FROM annotations"), ==, 1);
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT preference FROM annotations "
                                               "WHERE edit_id = 'good'"), ==, 3);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* And the next run does not see them again. */
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_skipped, ==, 0);
}

/* Curators ----------------------------------------------------------------------------- */

/* A dataset published with plain HTTP, as another tool would, reaches the annotators;
 * their labels reach the curator. */
static void
test_publish_by_http (Fixture       *fixture,
                      gconstpointer  data)
{
  RoundsStore *curator = open_store (fixture, "curator");
  RoundsStore *lin;
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(RoundsItem) item = NULL;

  rounds_test_couch_put (fixture->db_url,
                         "{\"_id\": \"dataset:ethics\", \"type\": \"dataset\", \"schema\": 1, "
                         "\"id\": \"ethics\","
                         " \"title\": \"Ethics\", \"overlap\": 2, \"required\": [\"preference\", "
                         "\"comment\"],"
                         " \"rubric\": [{\"id\": \"accuracy\", \"name\": \"Accuracy\", \"min\": 1, "
                         "\"max\": 5}]}");
  for (guint i = 0; i < G_N_ELEMENTS (item_keys); i++)
    {
      g_autofree char *key = g_strescape (item_keys[i], NULL);
      g_autofree char *doc_id = _rounds_doc_id ("item", "ethics", item_keys[i], NULL);
      g_autofree char *json = g_strdup_printf ("{\"_id\": \"%s\", \"type\": \"item\", \"schema\": "
                                               "1, \"dataset\": \"ethics\","
                                               " \"id\": \"%s\", \"position\": %u, \"scenario\": "
                                               "\"Scenario %u\","
                                               " \"responses\": [{\"id\": \"x\", \"text\": \"X\", "
                                               "\"model\": \"m1\"},"
                                               " {\"id\": \"y\", \"text\": \"Y\", "
                                               "\"model\": \"m2\"}]}",
                                               doc_id, key, 2 - i, i);

      rounds_test_couch_put (fixture->db_url, json);
    }

  lin = annotator_store (fixture, "lin", TEST_ANNOTATOR);
  item = find_item (lin, "c1");
  g_assert_cmpstr (rounds_item_get_scenario (item), ==, "Scenario 0");
  g_assert_cmpstr (rounds_item_get_response_key (item, 1), ==, "y");
  g_assert_cmpint (rounds_test_query_int (lin, "SELECT overlap FROM datasets"), ==, 2);
  g_assert_cmpint (rounds_test_query_int (lin,
                                          "SELECT position FROM items WHERE key = 'c3'"), ==, 0);
  {
    g_autoptr(RoundsDataset) dataset = rounds_store_get_dataset (lin, "ethics", NULL);

    g_assert_cmpuint (rounds_dataset_get_required (dataset), ==,
                      ROUNDS_REQUIRE_PREFERENCE | ROUNDS_REQUIRE_COMMENT);
    g_assert_cmpuint (rounds_rubric_get_n_criteria (rounds_dataset_get_rubric (dataset)), ==, 1);
  }
  for (guint i = 0; i < G_N_ELEMENTS (item_keys); i++)
    judge (lin, item_keys[i], TEST_ANNOTATOR, 1, "agreed");
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_clear_pointer (&result, rounds_sync_result_free);

  add_profile (curator, TEST_CURATOR, "Ada", ROUNDS_ROLE_CURATOR);
  result = sync_ok (fixture->db_url, curator, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  /* Nothing of the curator's own to publish: what it pulled is published already. */
  g_assert_cmpuint (result->n_pushed, ==, 1);
  g_assert_cmpint (rounds_test_query_int (curator, "SELECT COUNT(*) FROM annotations"), ==, 3);
  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, curator, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_pushed, ==, 0);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
}

static char *
item_line (const char *key,
           const char *scenario)
{
  return g_strdup_printf ("{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Clinical "
                          "ethics\", \"overlap\": 3,"
                          " \"metadata\": {\"source\": \"test\"}}\n"
                          "{\"id\": \"%s\", \"scenario\": \"%s\", \"responses\": [{\"id\": \"a\", "
                          "\"text\": \"A\"},"
                          " {\"id\": \"b\", \"text\": \"B\"}]}\n", key, scenario);
}

static char *
scenario_of (RoundsStore *store,
             const char  *key)
{
  g_autoptr(RoundsItem) item = find_item (store, key);

  return g_strdup (rounds_item_get_scenario (item));
}

/* Two curators change the same item: the second is told, keeps theirs until they choose. */
static void
test_curator_conflict (Fixture       *fixture,
                       gconstpointer  data)
{
  RoundsStore *first = publish_dataset (fixture);
  RoundsStore *second = open_store (fixture, "second-curator");
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsSync) sync = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *text = NULL;
  g_autofree char *first_version = item_line ("c1", "Revised by the first curator");
  g_autofree char *second_version = item_line ("c1", "Revised by the second curator");
  g_autofree char *third_version = item_line ("c1", "Third thoughts of the second curator");
  g_autofree char *fourth_version = item_line ("c1", "Fourth version, from the first curator");
  RoundsSyncProblem *problem;

  add_profile (second, TEST_CURATOR, "Ada on another machine", ROUNDS_ROLE_CURATOR);
  result = sync_ok (fixture->db_url, second, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  g_assert_cmpint (rounds_test_query_int (second,
                                          "SELECT COUNT(*) FROM items WHERE published = 1"), ==, 3);
  g_clear_pointer (&result, rounds_sync_result_free);

  import_text (fixture, first, first_version, TRUE);
  result = sync_ok (fixture->db_url, first, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_pushed, ==, 1);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* The second curator changed it too, from the older revision. */
  import_text (fixture, second, second_version, TRUE);
  result = sync_ok (fixture->db_url, second, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->conflicts->len, >=, 1);
  problem = g_ptr_array_index (result->conflicts, 0);
  g_assert_cmpstr (problem->doc_id, ==, "item:ethics:c1");
  g_assert_cmpint (problem->kind, ==, ROUNDS_SYNC_PROBLEM_CONFLICT);
  g_assert_true (g_str_has_prefix (problem->server_rev, "2-"));
  text = scenario_of (second, "c1");
  g_assert_cmpstr (text, ==, "Revised by the second curator");
  g_clear_pointer (&text, g_free);
  doc = rounds_test_couch_get (fixture->db_url, "item:ethics:c1");
  g_assert_cmpstr (json_object_get_string_member (doc, "scenario"), ==,
                   "Revised by the first curator");
  g_clear_pointer (&doc, json_object_unref);
  g_clear_pointer (&result, rounds_sync_result_free);

  /* Listed until settled; another sync settles nothing by itself. */
  result = sync_ok (fixture->db_url, second, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_clear_pointer (&result, rounds_sync_result_free);
  problems = rounds_sync_list_problems (second, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_clear_pointer (&problems, g_ptr_array_unref);
  text = scenario_of (second, "c1");
  g_assert_cmpstr (text, ==, "Revised by the second curator");
  g_clear_pointer (&text, g_free);

  /* Take theirs. */
  sync = new_sync (fixture->db_url, TEST_CURATOR);
  rounds_sync_resolve (sync, "item:ethics:c1", ROUNDS_SYNC_TAKE_THEIRS);
  rounds_sync_run (sync, second, &result, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, rounds_sync_result_free);
  text = scenario_of (second, "c1");
  g_assert_cmpstr (text, ==, "Revised by the first curator");
  g_clear_pointer (&text, g_free);
  problems = rounds_sync_list_problems (second, &error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Again, and this time keep mine: it replaces the store's, and reaches the first. */
  import_text (fixture, first, fourth_version, TRUE);
  result = sync_ok (fixture->db_url, first, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_clear_pointer (&result, rounds_sync_result_free);
  import_text (fixture, second, third_version, TRUE);
  result = sync_ok (fixture->db_url, second, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->conflicts->len, >=, 1);
  g_clear_pointer (&result, rounds_sync_result_free);
  rounds_sync_resolve (sync, "item:ethics:c1", ROUNDS_SYNC_KEEP_MINE);
  rounds_sync_run (sync, second, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->conflicts->len, ==, 0);
  g_clear_pointer (&result, rounds_sync_result_free);
  doc = rounds_test_couch_get (fixture->db_url, "item:ethics:c1");
  g_assert_cmpstr (json_object_get_string_member (doc, "scenario"), ==,
                   "Third thoughts of the second curator");
  result = sync_ok (fixture->db_url, first, TEST_CURATOR, ROUNDS_SYNC_BOTH);
  text = scenario_of (first, "c1");
  g_assert_cmpstr (text, ==, "Third thoughts of the second curator");
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "item:"), ==, 3);

  /* Settling what is not in conflict is an error, and changes nothing. */
  g_clear_pointer (&result, rounds_sync_result_free);
  rounds_sync_resolve (sync, "item:ethics:c3", ROUNDS_SYNC_TAKE_THEIRS);
  g_assert_false (rounds_sync_run (sync, second, &result, NULL, &error));
  g_assert_error (error, ROUNDS_ERROR, ROUNDS_ERROR_NOT_FOUND);
}

/* Profiles ----------------------------------------------------------------------------- */

static void
test_profile_doc (Fixture       *fixture,
                  gconstpointer  data)
{
  RoundsStore *lin = open_store (fixture, "lin");
  RoundsStore *osei = open_store (fixture, "osei");
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *name = NULL;

  add_profile (lin, TEST_ANNOTATOR, "Dr Lin", ROUNDS_ROLE_ANNOTATOR);
  add_profile (osei, TEST_ANNOTATOR_2, "Dr Osei", ROUNDS_ROLE_ANNOTATOR);
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_clear_pointer (&result, rounds_sync_result_free);
  result = sync_ok (fixture->db_url, osei, TEST_ANNOTATOR_2, ROUNDS_SYNC_BOTH);
  g_clear_pointer (&result, rounds_sync_result_free);
  name = rounds_test_query_text (osei, "SELECT display_name FROM annotators WHERE "
                                       "user_name = 'dr-lin'", NULL);
  g_assert_cmpstr (name, ==, "Dr Lin");
  g_clear_pointer (&name, g_free);

  add_profile (lin, TEST_ANNOTATOR, "Dr Mei Lin", ROUNDS_ROLE_ANNOTATOR);
  result = sync_ok (fixture->db_url, lin, TEST_ANNOTATOR, ROUNDS_SYNC_BOTH);
  g_assert_cmpuint (result->n_pushed, ==, 1);
  g_clear_pointer (&result, rounds_sync_result_free);
  doc = rounds_test_couch_get (fixture->db_url, "annotator:dr-lin");
  g_assert_cmpstr (json_object_get_string_member (doc, "display_name"), ==, "Dr Mei Lin");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (doc, "_rev"), "2-"));
  result = sync_ok (fixture->db_url, osei, TEST_ANNOTATOR_2, ROUNDS_SYNC_BOTH);
  name = rounds_test_query_text (osei, "SELECT display_name FROM annotators WHERE "
                                       "user_name = 'dr-lin'", NULL);
  g_assert_cmpstr (name, ==, "Dr Mei Lin");
  /* A local profile is not changed by what others publish. */
  g_clear_pointer (&name, g_free);
  name = rounds_test_query_text (osei, "SELECT display_name FROM annotators WHERE "
                                       "user_name = 'dr-osei'", NULL);
  g_assert_cmpstr (name, ==, "Dr Osei");
}

/* Async and cancelling ----------------------------------------------------------------- */

typedef struct
{
  GMainLoop         *loop;
  RoundsSyncResult  *result;
  GError            *error;
  guint              n_progress;
  guint              n_stage;
} AsyncRun;

static void
on_done (GObject      *object,
         GAsyncResult *res,
         gpointer      data)
{
  AsyncRun *run = data;

  run->result = rounds_sync_run_finish (ROUNDS_SYNC (object), res, &run->error);
  g_main_loop_quit (run->loop);
}

static void
on_progress (RoundsSync *sync,
             int         stage,
             guint       done,
             guint       total,
             AsyncRun   *run)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  run->n_progress++;
}

static void
on_stage (GObject    *object,
          GParamSpec *pspec,
          AsyncRun   *run)
{
  run->n_stage++;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 5);
  g_autoptr(RoundsSync) sync = new_sync (fixture->db_url, TEST_ANNOTATOR);
  AsyncRun run = { 0 };

  run.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (sync, "progress", G_CALLBACK (on_progress), &run);
  g_signal_connect (sync, "notify::stage", G_CALLBACK (on_stage), &run);
  rounds_sync_run_async (sync, rounds_store_get_path (lin), NULL, on_done, &run);
  g_main_loop_run (run.loop);

  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);
  g_assert_cmpuint (run.result->n_pushed, ==, 6);
  g_assert_cmpuint (run.result->n_waiting, ==, 0);
  g_assert_cmpuint (run.n_progress, >=, 4);
  g_assert_cmpuint (run.n_stage, >=, 3);
  g_assert_cmpint (rounds_sync_get_stage (sync), ==, ROUNDS_SYNC_STAGE_DONE);
  g_assert_cmpfloat (rounds_sync_get_fraction (sync), ==, 1.0);
  /* The thread wrote through its own connection; this one sees it. */
  g_assert_cmpuint (waiting (lin), ==, 0);
  rounds_sync_result_free (run.result);
  g_main_loop_unref (run.loop);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 2);
  g_autoptr(RoundsSync) sync = new_sync (fixture->db_url, TEST_ANNOTATOR);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsSyncResult) result = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (rounds_sync_run (sync, lin, &result, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (waiting (lin), ==, 2);
}

static void
test_credentials_in_url (Fixture       *fixture,
                         gconstpointer  data)
{
  RoundsStore *lin = store_with_judgements (fixture, "lin", TEST_ANNOTATOR, 1);
  g_autofree char *password = rounds_test_couch_password (TEST_ANNOTATOR);
  g_autofree char *url = g_strdup_printf ("http://%s:%s@%s", TEST_ANNOTATOR, password,
                                          fixture->db_url + strlen ("http://"));
  g_autoptr(RoundsSync) sync = rounds_sync_new (url);
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;

  g_assert_cmpstr (rounds_sync_get_url (sync), ==, fixture->db_url);
  rounds_sync_run (sync, lin, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_pushed, ==, 2);
  target = rounds_test_query_text (lin, "SELECT target || detail_json FROM audit_log "
                                        "WHERE action = 'sync.run'", NULL);
  g_assert_null (strstr (target, password));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/rounds/sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip", test_round_trip);
  ADD ("guardian", test_guardian);
  ADD ("repush", test_repush);
  ADD ("awaiting-not-pushed", test_awaiting_not_pushed);
  ADD ("awaiting-judgement-parked", test_awaiting_judgement_parked);
  ADD ("server-down", test_server_down);
  ADD ("too-large", test_too_large);
  ADD ("forbidden", test_forbidden);
  ADD ("forbidden-other-annotator", test_forbidden_other_annotator);
  ADD ("wrong-password", test_wrong_password);
  ADD ("security/item-by-non-curator", test_security_item_by_non_curator);
  ADD ("security/non-member", test_security_non_member);
  ADD ("security/anonymous-read", test_security_anonymous_read);
  ADD ("security/member-rewrites-security", test_security_member_rewrites_security);
  ADD ("two-machines", test_two_machines);
  ADD ("verdicts-and-parking", test_verdicts_and_parking);
  ADD ("pull-resumes", test_pull_resumes);
  ADD ("skip-unknown", test_skip_unknown);
  ADD ("publish-by-http", test_publish_by_http);
  ADD ("curator-conflict", test_curator_conflict);
  ADD ("profile-doc", test_profile_doc);
  ADD ("async", test_async);
  ADD ("cancelled", test_cancelled);
  ADD ("credentials-in-url", test_credentials_in_url);
#undef ADD

  {
    static const char * const names[] = {
      "bulk-docs-drop", "bulk-docs-drop-answer", "bulk-docs-500", "bulk-docs-cut-short",
      "bulk-docs-timeout",
      "changes-drop-answer", "changes-cut-short", "all-docs-drop",
    };

    G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (fault_cases));
    for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
      {
        g_autofree char *retried = g_strdup_printf ("/rounds/sync/fault/%s/retried", names[i]);
        g_autofree char *then = g_strdup_printf ("/rounds/sync/fault/%s/then-retry", names[i]);

        g_test_add (retried, Fixture, &fault_cases[i], fixture_set_up, test_fault_retried,
                    fixture_tear_down);
        /* Unresent, a dropped _all_docs is a dropped _bulk_docs: covered above. */
        if (!g_str_equal (fault_cases[i].match, "_all_docs"))
          g_test_add (then, Fixture, &fault_cases[i], fixture_set_up, test_fault_then_retry,
                      fixture_tear_down);
      }
  }

  return g_test_run ();
}
