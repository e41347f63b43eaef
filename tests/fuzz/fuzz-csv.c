/* fuzz-csv.c: the CSV reader (tt-csv, the engine's format and VitalDB exports) on arbitrary bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"
#include "tt-csv.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) recording = tt_csv_parse ((const char *) data, size, NULL, &error);

  g_assert (recording != NULL || (error != NULL && g_utf8_validate (error->message, -1, NULL)));
  return 0;
}
