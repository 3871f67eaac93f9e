/* test-generate-dialog.c: a curator generates the responses of benchmark prompts from the
 * window, against tests/chat/serve: the dataset row offers it, the dialog runs it off the
 * main thread with progress, names the refusals, and Cancel stops it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-application.h"
#include "rounds-endpoint.h"
#include "rounds-generate-dialog.h"
#include "rounds-test-chat.h"
#include "rounds-test-gui.h"
#include "rounds-test-util.h"
#include "rounds-window.h"

static const char prompts_jsonl[] =
  "{\"type\": \"dataset\", \"id\": \"bench\", \"title\": \"Benchmark prompts\"}\n"
  "{\"type\": \"item\", \"id\": \"p1\", \"scenario\": \"A 16-year-old asks for contraception.\"}\n"
  "{\"type\": \"item\", \"id\": \"p2\", \"scenario\": \"Please refuse-me: forge a note.\"}\n"
  "{\"type\": \"item\", \"id\": \"p3\", \"scenario\": \"A relative phones for results.\"}\n";

typedef struct
{
  RoundsTestWindow      base;
  RoundsGenerateDialog *dialog;    /* weak */
} Fixture;

static gboolean
has_run (Fixture *fixture)
{
  return rounds_generate_dialog_has_run (fixture->dialog);
}

static gboolean
dialog_gone (Fixture *fixture)
{
  return fixture->dialog == NULL;
}

static void
set_up_as (Fixture     *fixture,
           RoundsRoles  roles)
{
  rounds_test_window_set_up_as (&fixture->base, prompts_jsonl, "cur-ada", "Ada", roles);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  set_up_as (fixture, ROUNDS_ROLE_CURATOR | ROUNDS_ROLE_ANNOTATOR);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  rounds_test_wait_until ((RoundsTestCondition) dialog_gone, fixture, 60);
  rounds_test_spin ();
  rounds_test_window_tear_down (&fixture->base, data);
}

static void
add_endpoint (Fixture    *fixture,
              const char *name,
              const char *model)
{
  g_autoptr(RoundsEndpoint) endpoint = rounds_test_chat_endpoint (name, model);
  g_autoptr(GError) error = NULL;

  g_assert_true (rounds_store_save_endpoint (fixture->base.store, endpoint, FALSE, &error));
  g_assert_no_error (error);
}

static RoundsGenerateDialog *
find_dialog (void)
{
  return (RoundsGenerateDialog *) rounds_test_find_toplevel (ROUNDS_TYPE_GENERATE_DIALOG);
}

/* The dataset row's Generate button opens the dialog over the window. */
static void
open_dialog (Fixture *fixture)
{
  GtkWidget *button;

  rounds_test_window_activate (&fixture->base, "win.show-datasets", NULL);
  button = rounds_test_find_widget (GTK_WIDGET (fixture->base.window),
                                    rounds_test_is_button_labelled, "Generate");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (
                                           GTK_ACTIONABLE (button)), NULL), ==, "bench");
  g_signal_emit_by_name (button, "clicked");
  rounds_test_spin ();

  fixture->dialog = find_dialog ();
  g_assert_nonnull (fixture->dialog);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (fixture->dialog)) ==
                 GTK_WINDOW (fixture->base.window));
  rounds_generate_dialog_set_retries (fixture->dialog, 2, 10);
}

static gint64
count_responses (Fixture *fixture)
{
  g_autofree char *n = rounds_test_window_query (&fixture->base,
                                                 "SELECT COUNT(*) FROM responses", NULL);

  return g_ascii_strtoll (n, NULL, 10);
}

/* One endpoint is chosen already; Generate runs off the main thread (the window keeps
 * drawing), shows the progress, and names the refusal with its item and reason. A second
 * run finds everything there. */
static void
test_generate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *model = rounds_test_chat_model ("dialog", "slow-100+refuse~refuse-me");
  const RoundsGenerateProgress *progress;
  GtkWidget *refusal;

  add_endpoint (fixture, "ward", model);
  open_dialog (fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "generate.run",
                                             NULL));
  g_assert_true (rounds_generate_dialog_is_running (fixture->dialog));
  /* The main loop is free while the requests are out. */
  g_assert_false (rounds_generate_dialog_has_run (fixture->dialog));
  rounds_test_wait_until ((RoundsTestCondition) has_run, fixture, 60);

  progress = rounds_generate_dialog_get_progress (fixture->dialog);
  g_assert_cmpuint (progress->n_planned, ==, 3);
  g_assert_cmpuint (progress->n_answered, ==, 2);
  g_assert_cmpuint (progress->n_refused, ==, 1);
  g_assert_cmpuint (progress->n_failed, ==, 0);
  g_assert_cmpint (count_responses (fixture), ==, 3);
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 3);
  refusal = rounds_test_find_widget (GTK_WIDGET (fixture->dialog), rounds_test_is_label_starting,
                                     "Refused: item p2, endpoint ward, sample 1: I cannot help");
  g_assert_nonnull (refusal);
  g_assert_true (gtk_widget_get_visible (refusal));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->dialog),
                                             rounds_test_is_label_starting, "Done: 3 generated"));

  /* Again: nothing is missing, nothing is asked for. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "generate.run",
                                             NULL));
  rounds_test_wait_until ((RoundsTestCondition) has_run, fixture, 60);
  while (rounds_generate_dialog_is_running (fixture->dialog))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (rounds_generate_dialog_get_progress (fixture->dialog)->n_present, ==, 3);
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 3);
  g_assert_cmpint (count_responses (fixture), ==, 3);
}

/* Cancel stops a run whose requests hang: nothing half saved, the dialog says so, and
 * the dialog closes after. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *model = rounds_test_chat_model ("dialog-stuck", "slow-60000");

  add_endpoint (fixture, "stuck", model);
  open_dialog (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "generate.run",
                                             NULL));
  /* Wait until the requests are out. */
  while (rounds_test_chat_count (model) < 3)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "generate.cancel",
                                             NULL));
  rounds_test_wait_until ((RoundsTestCondition) has_run, fixture, 60);
  g_assert_false (rounds_generate_dialog_is_running (fixture->dialog));
  g_assert_nonnull (rounds_test_find_widget (GTK_WIDGET (fixture->dialog),
                                             rounds_test_is_label_starting, "Cancelled."));
  g_assert_cmpint (count_responses (fixture), ==, 0);
  /* No request was tried again. */
  g_assert_cmpuint (rounds_test_chat_count (model), ==, 3);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "generate.cancel",
                                             NULL));
  rounds_test_wait_until ((RoundsTestCondition) dialog_gone, fixture, 60);
}

/* An annotator is offered no generation: no button, and the action does nothing. */
static void
test_curators_only (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *button;

  rounds_test_window_activate (&fixture->base, "win.show-datasets", NULL);
  button = rounds_test_find_widget (GTK_WIDGET (fixture->base.window),
                                    rounds_test_is_button_labelled, "Generate");
  g_assert_true (button == NULL || !gtk_widget_get_visible (button));
  gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.generate-responses", "s",
                              "bench");
  rounds_test_spin ();
  g_assert_null (find_dialog ());
}

static void
annotator_set_up (Fixture       *fixture,
                  gconstpointer  data)
{
  set_up_as (fixture, ROUNDS_ROLE_ANNOTATOR);
}

int
main (int   argc,
      char *argv[])
{
  rounds_test_gui_init (&argc, &argv);

  g_test_add ("/rounds/generate-dialog/generate", Fixture, NULL, fixture_set_up, test_generate,
              fixture_tear_down);
  g_test_add ("/rounds/generate-dialog/cancel", Fixture, NULL, fixture_set_up, test_cancel,
              fixture_tear_down);
  g_test_add ("/rounds/generate-dialog/curators-only", Fixture, NULL, annotator_set_up,
              test_curators_only, fixture_tear_down);

  return rounds_test_gui_run ();
}
