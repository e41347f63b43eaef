/* tt-store-private.h: hooks for the store's own tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tt-store.h"

G_BEGIN_DECLS

/* Samples of one session are merged into one queued operation up to this many (96 kB, below
 * malloc's mmap threshold), so that appending never copies a large array nor maps fresh pages
 * while holding the queue's lock. */
#define TT_STORE_SAMPLE_CHUNK 2048

/* Runs a constant SQL statement on the writer's connection before the next batch, outside any
 * transaction: tests use sqlite's own limits (PRAGMA max_page_count, PRAGMA query_only) to make the
 * disk "full" or the database "read-only" while a case runs. */
void tt_store_exec_on_writer_for_testing (TtStore    *self,
                                          const char *sql);

/* The stable integer stored in samples.quality for @quality, and back (TT_QUALITY_VALID for an
 * unknown code). */
int       tt_store_quality_to_code   (TtQuality quality);
TtQuality tt_store_quality_from_code (int       code);

G_END_DECLS
