//! Digests of rows: a child's rows in a return taken as a set, and the
//! bytes a row's `Hash` gives, from which digests are taken. (The bytes
//! may differ between builds or machines; that only makes a child look
//! changed, never the other way round.)

use std::hash::Hasher;

/// A child's rows in a return taken as a set, whatever order they came
/// in: how many, and the sum of their SHA-256 digests (in four 64-bit
/// lanes, wrapping), so no row's digest is kept.
#[derive(Default)]
pub(super) struct RowsDigest {
    pub(super) rows: u64,
    pub(super) sum: [u64; 4],
}

impl RowsDigest {
    pub(super) fn add(&mut self, row: &[u8; 32]) {
        self.rows += 1;
        for (lane, bytes) in self.sum.iter_mut().zip(row.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(bytes);
            *lane = lane.wrapping_add(u64::from_le_bytes(word));
        }
    }
}

/// Gathers what `Hash` writes.
pub(super) struct Feed<'a>(pub(super) &'a mut Vec<u8>);

impl Hasher for Feed<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
    fn finish(&self) -> u64 {
        0 // unused: the bytes are what counts
    }
}

/// Taken into each child's digest of their rows in a return, so a child
/// whose rows were read by another version of the program is merged again
/// by this one (whose `merge_child` may differ) when that year's return
/// is imported again. Raise the number after "merge rules" when
/// `merge_child` gives something else for the same rows.
pub(super) const MERGE_INPUT_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "/merge rules 1");
