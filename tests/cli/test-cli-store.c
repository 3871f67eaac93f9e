/* test-cli-store.c: `rounds-cli store init|check` and `rounds-cli sync` against a real
 * pouchdb-server, as a script or an administrator runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rounds-importer.h"
#include "rounds-store-private.h"
#include "rounds-test-cli.h"
#include "rounds-test-couch.h"
#include "rounds-test-proxy.h"
#include "rounds-test-util.h"
#include "rounds-util-private.h"

typedef struct
{
  RoundsTestCliFixture cli;
  char                *db_url;
} Fixture;

/* Runs rounds-cli with ROUNDS_STORE_PASSWORD set to @password (unset when NULL). */
#define run_cli(fixture, run, password, ...) \
  rounds_test_cli_run (&(fixture)->cli, run, "ROUNDS_STORE_PASSWORD", password, __VA_ARGS__)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *made = rounds_test_couch_new_db ("cli", GPOINTER_TO_INT (data));

  rounds_test_cli_set_up (&fixture->cli, data);
  if (GPOINTER_TO_INT (data))
    fixture->db_url = g_steal_pointer (&made);
  else
    {
      /* A name nobody has made yet. */
      rounds_test_couch_drop_db (made);
      fixture->db_url = g_strconcat (made, "-new", NULL);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rounds_test_couch_drop_db (fixture->db_url);
  rounds_test_cli_tear_down (&fixture->cli, data);
  g_free (fixture->db_url);
}

/* store --------------------------------------------------------------------------------- */

static void
test_init_and_check (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(RoundsTestCliRun) run = { 0 };
  g_autoptr(JsonObject) design = NULL;
  g_autoptr(RoundsCouch) admin = rounds_test_couch_admin (fixture->db_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;
  g_autoptr(GUri) uri = g_uri_parse (rounds_test_couch_server (), G_URI_FLAGS_HAS_PASSWORD, NULL);
  const char *user = g_uri_get_user (uri);
  const char *password = g_uri_get_password (uri);

  run_cli (fixture, &run, password, "store", "check", fixture->db_url, "--user", user, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "does not exist"));
  g_assert_nonnull (strstr (run.err, "rounds-cli store init"));
  rounds_test_cli_run_clear (&run);

  run_cli (fixture, &run, password, "store", "init", fixture->db_url, "--user", user, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Created the database"));
  g_assert_nonnull (strstr (run.out, "role “curator” added to the members"));
  g_assert_nonnull (strstr (run.out, "Installed the design document _design/rounds"));
  rounds_test_cli_run_clear (&run);

  /* Idempotent: the second run changes nothing, and says so. */
  run_cli (fixture, &run, password, "store", "init", fixture->db_url, "--user", user, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Nothing to change"));
  g_assert_null (strstr (run.out, "Created"));
  rounds_test_cli_run_clear (&run);

  run_cli (fixture, &run, password, "store", "check", fixture->db_url, "--user", user, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "is set up for Rounds"));
  rounds_test_cli_run_clear (&run);

  /* A design document changed by hand is found, and put back. */
  design = rounds_test_couch_get (fixture->db_url, "_design/rounds");
  json_object_set_string_member (design, "validate_doc_update", "function (newDoc) {}");
  rev = rounds_couch_put_doc (admin, "_design/rounds", design, NULL, &error);
  g_assert_no_error (error);
  run_cli (fixture, &run, password, "store", "check", fixture->db_url, "--user", user, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "another validate_doc_update"));
  rounds_test_cli_run_clear (&run);
  run_cli (fixture, &run, password, "store", "init", fixture->db_url, "--user", user, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Updated the design document"));
  rounds_test_cli_run_clear (&run);
  run_cli (fixture, &run, password, "store", "check", fixture->db_url, "--user", user, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

/* Refusals, table-driven: the exit status and what stderr must say. */
typedef struct
{
  const char *password;   /* NULL: ROUNDS_STORE_PASSWORD unset */
  const char *args[6];
  int         status;
  const char *err;
} Refusal;

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *with_password = g_strdup_printf ("http://admin:hunter2@%s",
                                                    fixture->db_url + strlen ("http://"));
  /* Its own user for the wrong password: CouchDB locks an account out after a few. */
  g_autofree char *user = rounds_test_couch_new_user ("cli-wrong", NULL);
  const Refusal cases[] = {
    { "x", { "store", "init", with_password, "--user", "admin", NULL }, 2, "--user" },
    { "x", { "store", "init", fixture->db_url, NULL }, 2, "--user" },
    { "x", { "store", "init", NULL }, 2, "database URL" },
    { "x", { "store", "frobnicate", NULL }, 2, "“init” or “check”" },
    { "wrong", { "store", "check", fixture->db_url, "--user", user, NULL }, 1,
      "Wrong user name or password" },
    { NULL, { "store", "check", fixture->db_url, "--user", "admin", NULL }, 2,
      "ROUNDS_STORE_PASSWORD" },
    { "x", { "store", "check", "https://couch.example.org/", "--user", "admin", NULL }, 2,
      "names no database" },
    { "x", { "sync", fixture->db_url, "--push", "--pull", NULL }, 2, "--push and --pull" },
    { "x", { "sync", fixture->db_url, "--batch", "10", NULL }, 2, "500 to 1000" },
    { "x", { "sync", with_password, NULL }, 2, "--user" },
    { "x", { "sync", fixture->db_url, NULL }, 2, "--user" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RoundsTestCliRun) run = { 0 };
      const char * const *a = cases[i].args;

      run_cli (fixture, &run, cases[i].password, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_nonnull (strstr (run.err, cases[i].err));
      g_assert_null (strstr (run.err, "hunter2"));
      g_assert_null (strstr (run.out, "hunter2"));
    }
}

/* sync ---------------------------------------------------------------------------------- */

static const char dataset_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Ethics\"}\n"
  "{\"id\": \"c1\", \"scenario\": \"S1\", \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n"
  "{\"id\": \"c2\", \"scenario\": \"S2\", \"responses\": [{\"text\": \"A\"}, {\"text\": \"B\"}]}\n";

/* A store like one the app leaves: a profile, a dataset and two judgements. */
static void
prepare_store (Fixture     *fixture,
               RoundsRoles  roles)
{
  g_autofree char *path = g_build_filename (fixture->cli.dir, "items.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(RoundsImporter) importer = rounds_importer_new ();
  g_autoptr(RoundsProfile) profile = rounds_profile_new (TEST_ANNOTATOR, "Dr Lin", roles, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsStore) store = rounds_store_open (fixture->cli.db, &error);

  g_assert_no_error (error);
  rounds_store_add_profile (store, profile, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, dataset_jsonl, -1, &error);
  g_assert_no_error (error);
  rounds_importer_run (importer, store, file, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *key = g_strdup_printf ("c%u", i);
      g_autoptr(RoundsItem) item = rounds_store_find_item (store, "ethics", key, &error);
      g_autoptr(RoundsDataset) dataset = rounds_store_get_dataset (store, "ethics", &error);
      g_autoptr(RoundsJudgement) j = rounds_judgement_new (2, rounds_dataset_get_rubric (dataset));

      j->status = ROUNDS_STATUS_SUBMITTED;
      j->has_preference = TRUE;
      j->preference = 1;
      rounds_store_save_judgement (store, item, TEST_ANNOTATOR, j, &error);
      g_assert_no_error (error);
    }

  if (roles & ROUNDS_ROLE_REVIEWER)
    {
      g_autoptr(RoundsItem) item = rounds_store_find_item (store, "ethics", "c1", &error);
      g_autofree char *doc_id = _rounds_doc_id ("verdict", "ethics", "c1",
                                                TEST_ANNOTATOR, "v1", NULL);
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO adjudications (edit_id, doc_id, item_id, reviewer_id, revision, "
        "preference, rationale,"
        " created_at, origin, is_current) VALUES ('v1', '%s', %" G_GINT64_FORMAT ","
        " (SELECT id FROM annotators WHERE user_name = 'dr-lin'), 1, 1, 'because', "
        "'2026-01-01T00:00:00Z', 'local', 1)",
        doc_id, rounds_item_get_id (item));

      rounds_test_exec (store, sql);
    }
}

static void
test_sync (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *password = rounds_test_couch_password (TEST_ANNOTATOR);
  g_auto(RoundsTestCliRun) run = { 0 };

  prepare_store (fixture, ROUNDS_ROLE_ANNOTATOR);

  /* The user defaults to the current profile. */
  run_cli (fixture, &run, password, "sync", fixture->db_url, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Pushed 3, pulled 0"));
  g_assert_nonnull (strstr (run.out, "0 edits waiting"));
  g_assert_nonnull (strstr (run.err, "Pushing"));
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url,
                                                  "judgement:dr-lin:ethics:"), ==, 2);
  rounds_test_cli_run_clear (&run);

  run_cli (fixture, &run, password, "sync", fixture->db_url, "--user", TEST_ANNOTATOR,
           "--quiet", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Pushed 0"));
  g_assert_cmpstr (run.err, ==, "");
  rounds_test_cli_run_clear (&run);

}

/* A wrong password: one request per run, the login, nothing retried, and a clear message. */
static void
test_sync_wrong_password (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const roles[] = { "annotator", NULL };
  g_autofree char *user = rounds_test_couch_new_user ("cli-wrong", roles);
  g_autoptr(RoundsTestProxy) proxy = rounds_test_proxy_new (rounds_test_couch_server_root ());
  g_autofree char *url = rounds_test_proxy_url (proxy, fixture->db_url);

  prepare_store (fixture, ROUNDS_ROLE_ANNOTATOR);
  for (guint attempt = 1; attempt <= 2; attempt++)
    {
      g_auto(RoundsTestCliRun) run = { 0 };
      g_autoptr(GPtrArray) requests = NULL;

      run_cli (fixture, &run, "wrong", "sync", url, "--user", user, NULL);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.err, "Wrong user name or password"));
      g_assert_nonnull (strstr (run.err, "not tried again"));
      g_assert_null (strstr (run.err, "wrong\n"));
      g_assert_cmpuint (rounds_test_proxy_count_passwords (proxy), ==, attempt);
      requests = rounds_test_proxy_get_requests (proxy);
      g_assert_cmpuint (requests->len, ==, attempt);
    }
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 0);
}

/* A refused document: exit 1, listed with the store's reason, kept for the next time. */
static void
test_sync_forbidden (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *password = rounds_test_couch_password (TEST_ANNOTATOR);
  g_auto(RoundsTestCliRun) run = { 0 };

  prepare_store (fixture, ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER);
  run_cli (fixture, &run, password, "sync", fixture->db_url, "--push", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "forbidden\tverdict:ethics:c1:dr-lin:v1\t"));
  g_assert_nonnull (strstr (run.out, "reviewer role"));
  g_assert_nonnull (strstr (run.out, "1 edit waiting"));
  g_assert_nonnull (strstr (run.err, "1 document did not go through"));
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "judgement:"), ==, 2);
  g_assert_cmpuint (rounds_test_couch_count_docs (fixture->db_url, "verdict:"), ==, 0);
  rounds_test_cli_run_clear (&run);

  run_cli (fixture, &run, password, "sync", fixture->db_url, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "verdict:ethics:c1:dr-lin:v1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rounds/cli/store/init-and-check", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_init_and_check, fixture_tear_down);
  g_test_add ("/rounds/cli/store/refusals", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/rounds/cli/sync/push-and-again", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_sync, fixture_tear_down);
  g_test_add ("/rounds/cli/sync/wrong-password", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_sync_wrong_password, fixture_tear_down);
  g_test_add ("/rounds/cli/sync/forbidden", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_sync_forbidden, fixture_tear_down);

  return g_test_run ();
}
