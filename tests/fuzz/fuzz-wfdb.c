/* fuzz-wfdb.c: the WFDB reader on arbitrary bytes: the header up to the first NUL byte, the
 * signal file after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "tt-wfdb.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  size_t header_len = nul != NULL ? (size_t) (nul - data) : size;
  g_autoptr(GBytes) header = g_bytes_new_static (data, header_len);
  g_autoptr(GBytes) dat = g_bytes_new_static (nul != NULL ? nul + 1 : data + size,
                                             nul != NULL ? size - header_len - 1 : 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtRecording) recording = tt_wfdb_parse (header, dat, &error);

  g_assert (recording != NULL || (error != NULL && g_utf8_validate (error->message, -1, NULL)));
  return 0;
}
