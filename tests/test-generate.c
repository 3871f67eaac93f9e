/* test-generate.c: generation in the core, against tests/chat/serve: what a response is keyed
 * and records, what is skipped, and generated responses through the curation store
 * (pouchdb-server) to an annotator and to a second curator, who has nothing left to ask for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "rounds-generate.h"
#include "rounds-importer.h"
#include "rounds-sync.h"
#include "rounds-test-chat.h"
#include "rounds-test-couch.h"
#include "rounds-test-util.h"

static const char prompts_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"bench\", \"title\": \"Benchmark prompts\", \"overlap\": 2}\n"
  "{\"type\": \"item\", \"id\": \"p1\", \"scenario\": \"A 16-year-old asks for contraception.\"}\n"
  "{\"type\": \"item\", \"id\": \"p2\", \"scenario\": \"A relative phones for results.\"}\n"
  "{\"type\": \"item\", \"id\": \"p3\", \"scenario\": \"Three patients arrive at once.\"}\n"
  "{\"type\": \"item\", \"id\": \"done\", \"scenario\": \"Has its responses.\","
  " \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n";

typedef RoundsTestStore Fixture;

static RoundsGenerator *
new_generator (RoundsStore *store,
               const char  *endpoint_name,
               const char  *model,
               gboolean     seeded)
{
  g_autoptr(RoundsEndpoint) endpoint = rounds_test_chat_endpoint (endpoint_name, model);
  RoundsGenerator *generator = rounds_generator_new ("bench");

  endpoint->has_seed = seeded;
  endpoint->seed = 100;
  endpoint->has_temperature = TRUE;
  endpoint->temperature = 0.3;
  rounds_generator_add_endpoint (generator, endpoint, NULL);
  rounds_generator_set_retries (generator, 2, 10, 100);
  return generator;
}

static void
run_ok (RoundsGenerator        *generator,
        RoundsStore            *store,
        RoundsGenerateProgress *progress)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rounds_generator_run (generator, store, NULL, progress, &error));
  g_assert_no_error (error);
}

/* Only items with fewer than two responses of their own; one response per sample, keyed by
 * endpoint, parameters and sample, after what the item had; seeds by sample; the metadata. */
static void
test_keys_and_metadata (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *model = rounds_test_chat_model ("keys", NULL);
  g_autoptr(RoundsGenerator) generator = NULL;
  g_autoptr(RoundsGenerator) other_system = NULL;
  g_autoptr(RoundsEndpoint) endpoint = rounds_test_chat_endpoint ("ward", model);
  g_autofree char *key0 = NULL;
  g_autofree char *key1 = NULL;
  g_autofree char *other_key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  RoundsGenerateProgress progress;

  rounds_test_store_import_text (fixture->store, fixture->dir, "prompts.jsonl", prompts_jsonl);
  generator = new_generator (fixture->store, "ward", model, TRUE);
  rounds_generator_set_n_samples (generator, 2);
  run_ok (generator, fixture->store, &progress);
  g_assert_cmpuint (progress.n_items, ==, 3);
  g_assert_cmpuint (progress.n_planned, ==, 6);
  g_assert_cmpuint (progress.n_answered, ==, 6);
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 6);

  endpoint->has_seed = TRUE;
  endpoint->seed = 100;
  endpoint->has_temperature = TRUE;
  endpoint->temperature = 0.3;
  key0 = rounds_generator_response_key (generator, endpoint, 0);
  key1 = rounds_generator_response_key (generator, endpoint, 1);
  g_assert_true (g_str_has_prefix (key0, "gen:ward:"));
  g_assert_true (g_str_has_suffix (key0, ":0"));
  g_assert_true (g_str_has_suffix (key1, ":1"));

  /* One response a sample, at positions 0 and 1 (in the order they came). */
  text = rounds_test_query_text (fixture->store,
                                 "SELECT group_concat (r.key, ' ') FROM (SELECT r.key FROM"
                                 " responses r JOIN items i ON i.id = r.item_id"
                                 " WHERE i.key = 'p2' AND r.idx IN (0, 1) ORDER BY r.key) r",
                                 NULL);
  expected = g_strdup_printf ("%s %s", key0, key1);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM responses r JOIN items i"
                                          " ON i.id = r.item_id WHERE i.key = 'done'"), ==, 2);
  /* Sample K is seeded SEED+K, and says so with everything else. */
  g_free (text);
  text = rounds_test_query_text (fixture->store,
                                 "SELECT COUNT(*) FROM responses WHERE key GLOB 'gen:*'"
                                 " AND json_extract (metadata_json, '$.generation.seed')"
                                 " = 100 + json_extract (metadata_json, '$.generation.sample')"
                                 " AND json_extract (metadata_json,"
                                 "  '$.generation.params.temperature') = 0.3"
                                 " AND json_extract (metadata_json, '$.generation.endpoint')"
                                 "  = 'ward' AND json_extract (metadata_json,"
                                 "  '$.generation.outcome') = 'answered' AND model = ?1", model);
  g_assert_cmpstr (text, ==, "6");
  /* The two samples differ: the seed reached the server. */
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(DISTINCT text) FROM responses"
                                          " WHERE key GLOB 'gen:*'"), ==, 6);
  /* Every item now has its responses and waits for the curation store. */
  g_assert_cmpint (rounds_test_query_int (fixture->store,
                                          "SELECT COUNT(*) FROM items WHERE published = 0"
                                          " AND key IN ('p1', 'p2', 'p3')"), ==, 3);

  /* Another system message is another parameter: other keys. */
  other_system = new_generator (fixture->store, "ward", model, TRUE);
  rounds_generator_set_system (other_system, "Answer as a GP.");
  other_key = rounds_generator_response_key (other_system, endpoint, 0);
  g_assert_cmpstr (other_key, !=, key0);
  g_assert_true (g_str_has_suffix (other_key, ":0"));
}

static void
collect_note (const RoundsGenerateNote *note,
              gpointer                  user_data)
{
  g_ptr_array_add (user_data, rounds_generate_note_to_string (note));
}

/* An item with a judgement gets no more responses, nor one that would pass eight; both are
 * named. */
static void
test_skips (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *model = rounds_test_chat_model ("skips", NULL);
  g_autoptr(RoundsGenerator) generator = NULL;
  g_autoptr(RoundsGenerator) many = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RoundsItem) p1 = NULL;
  g_autoptr(RoundsDataset) dataset = NULL;
  g_autoptr(RoundsJudgement) judgement = NULL;
  g_autoptr(GError) error = NULL;
  RoundsGenerateProgress progress;

  rounds_test_store_import_text (fixture->store, fixture->dir, "prompts.jsonl", prompts_jsonl);
  rounds_test_store_sign_in (fixture->store, "dr-lin", "Dr Lin", ROUNDS_ROLE_ANNOTATOR);

  /* Two responses for everything first, then a judgement of p1. */
  generator = new_generator (fixture->store, "ward", model, TRUE);
  rounds_generator_set_n_samples (generator, 2);
  run_ok (generator, fixture->store, &progress);
  p1 = rounds_store_find_item (fixture->store, "bench", "p1", &error);
  dataset = rounds_store_get_dataset (fixture->store, "bench", &error);
  judgement = rounds_judgement_new (2, rounds_dataset_get_rubric (dataset));
  judgement->status = ROUNDS_STATUS_SUBMITTED;
  judgement->has_preference = TRUE;
  judgement->preference = 2;
  g_assert_true (rounds_store_save_judgement (fixture->store, p1, "dr-lin", judgement, &error));
  g_assert_no_error (error);

  /* Eight samples more: p1 is judged; p2 and p3 would have 2 + 8 = 10. */
  many = new_generator (fixture->store, "ward", model, TRUE);
  rounds_generator_set_n_samples (many, 8);
  rounds_generator_set_system (many, "Be brief.");
  rounds_generator_set_progress_func (many, NULL, collect_note, notes);
  run_ok (many, fixture->store, &progress);
  g_assert_cmpuint (progress.n_planned, ==, 0);
  g_assert_cmpuint (progress.n_skipped, ==, 24);
  g_assert_cmpuint (notes->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (notes, 0), ==,
                   "Skipped: item p1, endpoint ward: it has judgements already: a judgement is "
                   "of the responses it saw");
  g_assert_cmpstr (g_ptr_array_index (notes, 1), ==,
                   "Skipped: item p2, endpoint ward: it would have 10 responses, more than 8");
  g_assert_cmpstr (g_ptr_array_index (notes, 2), ==,
                   "Skipped: item p3, endpoint ward: it would have 10 responses, more than 8");
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 6);
}

/* Through the curation store ----------------------------------------------------------- */

static RoundsSyncResult *
sync_as (RoundsStore *store,
         const char  *db_url,
         const char  *user)
{
  g_autofree char *password = rounds_test_couch_password (user);
  g_autoptr(RoundsSync) sync = rounds_sync_new (db_url);
  g_autoptr(GError) error = NULL;
  RoundsSyncResult *result = NULL;

  rounds_sync_set_credentials (sync, user, password);
  rounds_sync_run (sync, store, &result, NULL, &error);
  g_assert_no_error (error);
  return result;
}

/* A curator generates and syncs: the items reach the store with their generated responses
 * (text, model, metadata); an annotator pulls them into a queue; a second curator pulls
 * them and, generating with the same endpoint, has nothing to ask for. */
static void
test_through_store (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *model = rounds_test_chat_model ("store", NULL);
  g_autofree char *db_url = rounds_test_couch_new_db ("generate", TRUE);
  g_autoptr(RoundsGenerator) generator = NULL;
  g_autoptr(RoundsGenerator) second = NULL;
  g_autoptr(RoundsSyncResult) pushed = NULL;
  g_autoptr(RoundsSyncResult) pulled = NULL;
  g_autoptr(RoundsSyncResult) pulled_too = NULL;
  g_autoptr(RoundsStore) annotator = rounds_test_store_open_new (fixture, "annotator.db");
  g_autoptr(RoundsStore) curator = rounds_test_store_open_new (fixture, "curator-2.db");
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(RoundsItem) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  RoundsGenerateProgress progress;
  JsonArray *responses;
  JsonObject *generated;

  rounds_test_store_import_text (fixture->store, fixture->dir, "prompts.jsonl", prompts_jsonl);
  rounds_test_store_sign_in (fixture->store, TEST_CURATOR, "Ada",
                             ROUNDS_ROLE_CURATOR | ROUNDS_ROLE_ANNOTATOR);
  generator = new_generator (fixture->store, "ward", model, TRUE);
  rounds_generator_set_n_samples (generator, 2);
  run_ok (generator, fixture->store, &progress);
  g_assert_cmpuint (progress.n_answered, ==, 6);

  pushed = sync_as (fixture->store, db_url, TEST_CURATOR);
  g_assert_cmpuint (pushed->forbidden->len, ==, 0);
  g_assert_cmpuint (rounds_test_couch_count_docs (db_url, "item:"), ==, 4);
  doc = rounds_test_couch_get (db_url, "item:bench:p2");
  responses = json_object_get_array_member (doc, "responses");
  g_assert_cmpuint (json_array_get_length (responses), ==, 2);
  generated = json_array_get_object_element (responses, 1);
  key = rounds_test_query_text (fixture->store, "SELECT r.key FROM responses r JOIN items i"
                                                " ON i.id = r.item_id WHERE i.key = 'p2'"
                                                " AND r.idx = 1", NULL);
  g_assert_true (g_str_has_prefix (key, "gen:ward:"));
  g_assert_cmpstr (json_object_get_string_member (generated, "id"), ==, key);
  g_assert_cmpstr (json_object_get_string_member (generated, "model"), ==, model);
  g_assert_true (json_object_has_member (json_object_get_object_member (
                   json_object_get_object_member (generated, "metadata"), "generation"),
                   "latency_ms"));

  rounds_test_store_sign_in (annotator, TEST_ANNOTATOR, "Lin", ROUNDS_ROLE_ANNOTATOR);
  pulled = sync_as (annotator, db_url, TEST_ANNOTATOR);
  g_assert_cmpint (rounds_test_query_int (annotator, "SELECT COUNT(*) FROM responses"
                                                     " WHERE key GLOB 'gen:ward:*'"), ==, 6);
  next = rounds_store_next_item (annotator,
                                 rounds_test_query_int (annotator,
                                                        "SELECT id FROM datasets"
                                                        " WHERE name = 'bench'"),
                                 TEST_ANNOTATOR, &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  g_assert_cmpstr (rounds_item_get_key (next), ==, "p1");

  rounds_test_store_sign_in (curator, TEST_CURATOR, "Ada",
                             ROUNDS_ROLE_CURATOR | ROUNDS_ROLE_ANNOTATOR);
  pulled_too = sync_as (curator, db_url, TEST_CURATOR);
  second = new_generator (curator, "ward", model, TRUE);
  rounds_generator_set_n_samples (second, 2);
  run_ok (second, curator, &progress);
  g_assert_cmpuint (progress.n_present, ==, 6);
  g_assert_cmpuint (progress.n_planned, ==, 0);
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 6);

  rounds_test_couch_drop_db (db_url);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  rounds_test_store_add ("/rounds/generate/keys-and-metadata", NULL, test_keys_and_metadata);
  rounds_test_store_add ("/rounds/generate/skips", NULL, test_skips);
  rounds_test_store_add ("/rounds/generate/through-store", NULL, test_through_store);

  return g_test_run ();
}
