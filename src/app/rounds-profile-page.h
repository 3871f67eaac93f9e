/* rounds-profile-page.h: who is working: the profiles of this database and a form for a new one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rounds-store.h"

G_BEGIN_DECLS

#define ROUNDS_TYPE_PROFILE_PAGE (rounds_profile_page_get_type ())

G_DECLARE_FINAL_TYPE (RoundsProfilePage, rounds_profile_page, ROUNDS, PROFILE_PAGE, GtkWidget)

GtkWidget     *rounds_profile_page_new          (void);
void           rounds_profile_page_set_profiles (RoundsProfilePage  *self,
                                                 GListModel         *profiles);
RoundsProfile *rounds_profile_page_new_profile  (RoundsProfilePage  *self,
                                                 GError            **error);

G_END_DECLS
