/* rounds-test-chat.h: the test chat-completions server (tests/chat/serve) for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "rounds-endpoint.h"

G_BEGIN_DECLS

const char     *rounds_test_chat_url       (void);
char           *rounds_test_chat_model     (const char *name,
                                            const char *words);
RoundsEndpoint *rounds_test_chat_endpoint  (const char *name,
                                            const char *model);
guint           rounds_test_chat_count     (const char *model);
JsonObject     *rounds_test_chat_last      (const char *model);

G_END_DECLS
