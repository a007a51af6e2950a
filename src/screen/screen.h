#pragma once
// Restricted-party screening: list snapshots, name normalisation, an index and
// an explainable scorer.
//
// Contract: a ListSnapshot is immutable once built and a Screener only reads
// it, so one Screener is shared by every thread of a batch without locks.
// Loading and storing files are the only I/O (loaders, SnapshotStore); every
// scoring function is pure. Bad user input raises InputError naming the file,
// line and field; list files from the government are read leniently where a
// quirk is known (see docs/SCREENING.md) and strictly otherwise.
//
// The component's public header; one header per concern:
//   screen/lists.h          entries, snapshots, list loaders, snapshot diff
//   screen/store.h          the snapshot store under the data folder, downloads
//   screen/names.h          the bilingual name table, the watch file
//   screen/matching.h       normalisation, the Screener, Entity List lookups
//   screen/scoring.h        the scoring weights, named and documented
//   screen/results.h        results as JSON
//   screen/adjudications.h  accepted false positives

#include "screen/adjudications.h"
#include "screen/lists.h"
#include "screen/matching.h"
#include "screen/names.h"
#include "screen/results.h"
#include "screen/scoring.h"
#include "screen/store.h"
