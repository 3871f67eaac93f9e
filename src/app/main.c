/* main.c: starts Rounds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "rounds-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(RoundsApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* ROUNDS_LOCALEDIR lets build-aux/run and the tests use the translations in the build tree. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("ROUNDS_LOCALEDIR") ? g_getenv ("ROUNDS_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = rounds_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
