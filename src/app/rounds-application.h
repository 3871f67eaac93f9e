/* rounds-application.h: the Rounds application: its store, its actions, its windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_APPLICATION (rounds_application_get_type ())

G_DECLARE_FINAL_TYPE (RoundsApplication, rounds_application, ROUNDS, APPLICATION, AdwApplication)

RoundsApplication *rounds_application_new (void);

G_END_DECLS
