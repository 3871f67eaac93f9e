/* fuzz-sync.c: a sync run (push and pull) against a server whose answers are the input
 *
 * The transport of rounds-couch.c is replaced: each request the client makes is answered by
 * the next line of the input, "STATUS BODY" (three digits, a space, the body) or just the
 * body, for a 200. A line "000" (or the end of the input) is a connection that broke off.
 * The first byte chooses the run: the direction (its low two bits), a user and password
 * (0x04, so a 401 asks /_session), one document per _bulk_docs (0x08), two changes per page
 * (0x10), and a conflict the curator settles (0x20: keeping theirs, with 0x40 keeping
 * mine).
 *
 * Every run starts from the same database: a curator with an unpublished dataset of three
 * items and a judgement of one, so that each kind of outbox goes up; the database is copied
 * back from a template, in memory, before each run. Nothing waits: resends are immediate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rounds-couch-private.h"
#include "rounds-fuzz.h"
#include "rounds-store-private.h"
#include "rounds-sync.h"
#include "rounds-test-util.h"

#define USER "dr-lin"

static const char dataset_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"ethics\", \"title\": \"Clinical ethics\", \"overlap\": 3}\n"
  "{\"id\": \"c1\", \"scenario\": \"A 16-year-old asks for contraception.\","
  " \"responses\": [{\"id\": \"a\", \"text\": \"Assess competence.\", \"model\": \"m1\"},"
  " {\"id\": \"b\", \"text\": \"Tell the parents.\", \"model\": \"m2\"}]}\n"
  "{\"id\": \"c2\", \"scenario\": \"Three answers.\","
  " \"responses\": [{\"text\": \"One.\"}, {\"text\": \"Two.\"}, {\"text\": \"Three.\"}]}\n";

typedef struct
{
  const char *next;
  const char *end;
} Replies;

/* Copying the template back costs more than a run (every statement is prepared again), so
 * libFuzzer's runs go on from where the last one left, with its outbox waiting again, and
 * start afresh now and then. The replay of the corpus starts each input afresh. */
#ifdef FUZZ_REPLAY
#define RESTORE_EVERY 1
#else
#define RESTORE_EVERY 512
#endif

static RoundsStore *store;
static sqlite3 *template;
static guint runs;

static void
copy_database (sqlite3 *to,
               sqlite3 *from)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");

  g_assert_nonnull (backup);
  g_assert_cmpint (sqlite3_backup_step (backup, -1), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_backup_finish (backup), ==, SQLITE_OK);
}

/* The judgement's edit id and time are random and now: fixed ones let inputs name its
 * document and match its content. The trigger that keeps edits unchanged steps aside. */
static void
fix_edit (void)
{
  static const char update[] =
    "UPDATE annotations SET edit_id = 'e1', doc_id = 'judgement:" USER ":ethics:c1:e1',"
    " created_at = '2026-01-01T00:00:00.000Z'";
  sqlite3_stmt *stmt = NULL;
  g_autofree char *trigger = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (template, "SELECT sql FROM sqlite_master"
                                       " WHERE name = 'annotations_immutable'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  trigger = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (template, "DROP TRIGGER annotations_immutable", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (template, update, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (template, trigger, NULL, NULL, NULL), ==, SQLITE_OK);
  copy_database (_rounds_store_get_db (store), template);
}

static void
set_up_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("rounds-fuzz-sync-%d.jsonl", (int) getpid ());
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  store = rounds_store_open (":memory:", &error);
  g_assert_no_error (error);
  rounds_test_store_sign_in (store, USER, "Dr Lin",
                             ROUNDS_ROLE_ANNOTATOR | ROUNDS_ROLE_REVIEWER | ROUNDS_ROLE_CURATOR);
  rounds_test_store_import_text (store, g_get_tmp_dir (), name, dataset_jsonl);
  g_unlink (path);
  rounds_test_store_judge (store, "ethics", "c1", USER, 1);

  g_assert_cmpint (sqlite3_open (":memory:", &template), ==, SQLITE_OK);
  copy_database (template, _rounds_store_get_db (store));
  fix_edit ();
}

/* What went up is waiting again; statements prepared once, as parsing them would cost more
 * than running them. */
static void
unpublish (void)
{
  static const char * const sql[] = {
    "UPDATE annotations SET synced = 0 WHERE origin = 'local' AND synced = 1",
    "UPDATE datasets SET published = 0 WHERE name = 'ethics' AND published = 1",
    "UPDATE items SET published = 0 WHERE published = 1",
  };
  static sqlite3_stmt *stmts[G_N_ELEMENTS (sql)];

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      if (stmts[i] == NULL)
        g_assert_cmpint (sqlite3_prepare_v2 (_rounds_store_get_db (store), sql[i], -1, &stmts[i],
                                             NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmts[i]), ==, SQLITE_DONE);
      sqlite3_reset (stmts[i]);
    }
}

/* One request, one line of the input. */
static gboolean
answer (const char *method,
        const char *url,
        const char *body,
        guint      *status,
        GString    *response,
        gpointer    user_data)
{
  Replies *replies = user_data;
  const char *line = replies->next;
  const char *end;

  if (line >= replies->end)
    return FALSE;
  end = memchr (line, '\n', replies->end - line);
  if (end == NULL)
    end = replies->end;
  replies->next = end < replies->end ? end + 1 : end;

  *status = 200;
  if (end - line >= 3 && g_ascii_isdigit (line[0]) && g_ascii_isdigit (line[1]) &&
      g_ascii_isdigit (line[2]) && (end - line == 3 || line[3] == ' '))
    {
      *status = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
      line += MIN (end - line, 4);
      if (*status == 0)
        return FALSE;
    }
  g_string_append_len (response, line, end - line);
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(RoundsSync) sync = NULL;
  g_autoptr(RoundsSyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Replies replies;
  guint8 flags;

  if (size == 0)
    return 0;
  flags = data[0];
  replies.next = (const char *) data + 1;
  replies.end = (const char *) data + size;

  if (store == NULL)
    set_up_store ();
  else if (++runs % RESTORE_EVERY == 0)
    copy_database (_rounds_store_get_db (store), template);
  else
    unpublish ();

  sync = rounds_sync_new ("http://127.0.0.1:5984/fuzz");
  rounds_sync_set_direction (sync, (flags & 3) ? flags & 3 : ROUNDS_SYNC_BOTH);
  if (flags & 0x04)
    rounds_sync_set_credentials (sync, USER, "secret");
  rounds_sync_set_batch_size (sync, (flags & 0x08) ? 1 : 0);
  rounds_sync_set_page_size (sync, (flags & 0x10) ? 2 : 0);
  rounds_sync_set_retries (sync, 2, 0);
  if (flags & 0x20)
    rounds_sync_resolve (sync, "item:ethics:c1",
                         (flags & 0x40) ? ROUNDS_SYNC_KEEP_MINE : ROUNDS_SYNC_TAKE_THEIRS);

  _rounds_couch_set_transport (answer, &replies);
  /* Failing is fine; failing without saying why is not. */
  if (!rounds_sync_run (sync, store, &result, NULL, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (result);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_nonnull (result);
      for (guint i = 0; i < result->forbidden->len; i++)
        {
          RoundsSyncProblem *problem = g_ptr_array_index (result->forbidden, i);

          g_assert_nonnull (problem->doc_id);
          g_assert_true (g_utf8_validate (problem->reason, -1, NULL));
        }
    }
  _rounds_couch_set_transport (NULL, NULL);
  return 0;
}
