/* fuzz-vital.c: the .vital reader on arbitrary bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"
#include "tt-vital.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtVitalFile) file = tt_vital_file_parse (bytes, &error);

  if (file != NULL)
    {
      g_autoptr(TtRecording) recording = tt_vital_file_to_recording (file, &error);

      g_assert (recording != NULL || error != NULL);
    }
  else
    g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
  return 0;
}
