/* rounds-error.c: the error domain of Rounds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rounds-error.h"

G_DEFINE_QUARK (rounds-error-quark, rounds_error)
