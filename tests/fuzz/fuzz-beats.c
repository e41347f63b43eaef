/* fuzz-beats.c: the beat detector on arbitrary bytes read as a waveform (floats, any value
 * including NAN and infinities), fed in chunks whose size, like the rate, the first byte chooses.
 * Samples must come out in time order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "tt-beats.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TtBeats) beats = NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (TtSample));
  g_autofree float *x = NULL;
  gsize n, chunk, pos = 0;

  if (size < 1)
    return 0;
  chunk = 1 + data[0];
  n = (size - 1) / sizeof (float);
  x = g_new (float, MAX (n, 1));
  memcpy (x, data + 1, n * sizeof (float));

  beats = tt_beats_new (data[0] % 2 ? 125 : 500, 0);
  while (pos < n)
    {
      gsize len = MIN (chunk, n - pos);

      tt_beats_feed (beats, x + pos, len, out);
      pos += len;
    }
  for (guint i = 1; i < out->len; i++)
    g_assert (g_array_index (out, TtSample, i).t_ms >= g_array_index (out, TtSample, i - 1).t_ms);
  return 0;
}
