/* fuzz-line.c: the line-stream parser and the recording-format detector on arbitrary bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "fuzz-common.h"
#include "tt-line-feed.h"
#include "tt-recording-load.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  TtSample sample;

  tt_recording_load_detect_format (data, size);
  if (tt_line_parse ((const char *) data, size, &sample, &error))
    g_assert (sample.t_ms == -1 || (sample.t_ms >= 0 && isfinite (sample.map)));
  else
    g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
  return 0;
}
