/* rounds-error.h: the error domain of Rounds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ROUNDS_ERROR (rounds_error_quark ())

/**
 * RoundsError:
 * @ROUNDS_ERROR_FAILED: anything else; the message says what
 * @ROUNDS_ERROR_INVALID_INPUT: a file has bad data: the message names the file, line and field
 * @ROUNDS_ERROR_CONFLICT: an item with the same id and other content exists: re-import with
 *   --update
 * @ROUNDS_ERROR_NOT_FOUND: no such dataset, item or profile
 * @ROUNDS_ERROR_DATABASE: the local database failed (disk full, locked, damaged)
 * @ROUNDS_ERROR_SCHEMA_TOO_NEW: the database was made by a newer Rounds: upgrade Rounds
 * @ROUNDS_ERROR_INCOMPLETE: a judgement lacks a field the dataset requires
 * @ROUNDS_ERROR_INVALID_ARGUMENT: an option or argument is wrong
 * @ROUNDS_ERROR_NO_PROFILE: no annotator profile is chosen
 *
 * Codes tell a person what to do next.
 */
typedef enum
{
  ROUNDS_ERROR_FAILED,
  ROUNDS_ERROR_INVALID_INPUT,
  ROUNDS_ERROR_CONFLICT,
  ROUNDS_ERROR_NOT_FOUND,
  ROUNDS_ERROR_DATABASE,
  ROUNDS_ERROR_SCHEMA_TOO_NEW,
  ROUNDS_ERROR_INCOMPLETE,
  ROUNDS_ERROR_INVALID_ARGUMENT,
  ROUNDS_ERROR_NO_PROFILE,
} RoundsError;

GQuark rounds_error_quark (void);

G_END_DECLS
