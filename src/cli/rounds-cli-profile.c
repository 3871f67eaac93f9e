/* rounds-cli-profile.c: `rounds-cli profile add|list|use`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rounds-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "rounds-cli-private.h"
#include "rounds-error.h"

static int
profile_add (RoundsCli  *cli,
             int         argc,
             char      **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *roles_text = NULL;
  g_autofree char *specialty = NULL;
  gboolean use = FALSE;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_("The name people read, e.g. “Dr Amara Osei”"), N_("NAME") },
    { "role", 'r', 0, G_OPTION_ARG_STRING, &roles_text,
      N_("Roles, comma-separated: annotator, reviewer, curator (default annotator)"), N_("ROLES") },
    { "specialty", 's', 0, G_OPTION_ARG_STRING, &specialty,
      N_("Clinical specialty"), N_("SPECIALTY") },
    { "use", 0, 0, G_OPTION_ARG_NONE, &use,
      N_("Make it the current profile"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RoundsProfile) profile = NULL;
  g_autoptr(RoundsProfile) current = NULL;
  RoundsRoles roles = ROUNDS_ROLE_ANNOTATOR;
  RoundsStore *store;

  if (!rounds_cli_parse ("profile add", _("USER — add an annotator profile"), entries, NULL,
                         &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 2)
    return rounds_cli_usage ("profile add", "%s",
                             _("give one user name, the one used on the curation store"));
  if (!rounds_user_name_is_valid (argv[1], &error))
    return rounds_cli_usage ("profile add", "%s", error->message);
  if (roles_text != NULL && !rounds_roles_from_string (roles_text, &roles, &error))
    return rounds_cli_usage ("profile add", "%s", error->message);

  if (!(store = rounds_cli_open_store (cli, &error)))
    return rounds_cli_fail ("profile add", error);

  profile = rounds_profile_new (argv[1], name != NULL ? name : argv[1], roles, specialty);
  if (!rounds_store_add_profile (store, profile, &error))
    return rounds_cli_fail ("profile add", error);
  current = rounds_store_get_current_profile (store);
  if ((use || current == NULL) &&
      !rounds_store_set_current_profile (store, argv[1], &error))
    return rounds_cli_fail ("profile add", error);

  g_print (_("Added profile %s\n"), argv[1]);
  return ROUNDS_CLI_EXIT_OK;
}

static int
profile_list (RoundsCli  *cli,
              int         argc,
              char      **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) profiles = NULL;
  g_autoptr(RoundsProfile) current = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("profile list", _("— list the profiles; * marks the current one"), NULL,
                         NULL, &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 1)
    return rounds_cli_usage ("profile list", "%s", _("takes no arguments"));
  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !(profiles = rounds_store_list_profiles (store, &error)))
    return rounds_cli_fail ("profile list", error);

  current = rounds_store_get_current_profile (store);
  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(RoundsProfile) profile = g_list_model_get_item (profiles, i);
      g_autofree char *roles = rounds_roles_to_string (rounds_profile_get_roles (profile));
      const char *user_name = rounds_profile_get_user_name (profile);
      const char *specialty = rounds_profile_get_specialty (profile);
      gboolean is_current = current != NULL &&
                            g_strcmp0 (user_name, rounds_profile_get_user_name (current)) == 0;

      g_print ("%s %s\t%s\t%s\t%s\n",
               is_current ? "*" : " ",
               user_name,
               rounds_profile_get_display_name (profile),
               roles,
               specialty != NULL ? specialty : "");
    }
  return ROUNDS_CLI_EXIT_OK;
}

static int
profile_use (RoundsCli  *cli,
             int         argc,
             char      **argv)
{
  g_autoptr(GError) error = NULL;
  RoundsStore *store;

  if (!rounds_cli_parse ("profile use", _("USER — make a profile the current one"), NULL, NULL,
                         &argc, &argv))
    return ROUNDS_CLI_EXIT_USAGE;
  if (argc != 2)
    return rounds_cli_usage ("profile use", "%s", _("give one user name"));
  if (!(store = rounds_cli_open_store (cli, &error)) ||
      !rounds_store_set_current_profile (store, argv[1], &error))
    return rounds_cli_fail ("profile use", error);
  return ROUNDS_CLI_EXIT_OK;
}

int
rounds_cli_profile (RoundsCli  *cli,
                    int         argc,
                    char      **argv)
{
  static const RoundsCliCommand subcommands[] = {
    { "add", NULL, profile_add },
    { "list", NULL, profile_list },
    { "use", NULL, profile_use },
  };

  return rounds_cli_dispatch (cli, "profile", subcommands, G_N_ELEMENTS (subcommands),
                              _("Usage: rounds-cli profile add USER [--name NAME] [--role ROLES] "
                                "[--specialty S] [--use]\n"
                                "       rounds-cli profile list\n"
                                "       rounds-cli profile use USER"),
                              _("expected “add”, “list” or “use”"),
                              argc, argv);
}
