//! Synthetic children's names for the demo: a first name and a surname
//! drawn from small built-in lists of ordinary words (trees, plants,
//! landscape), so a name on screen is plainly made up and never a real
//! child's. Each child's name comes from its own stream, apart from the
//! stream of its history, so adding names changed no generated return.

use rand::{RngExt, SeedableRng};

use super::child_seed;
use super::pick::Rng;

const FIRST_NAMES: &[&str] = &[
    "Amber", "Basil", "Clover", "Dale", "Ember", "Fern", "Glen", "Hazel", "Ivy", "Jasper", "Kit",
    "Linden", "Maple", "Nova", "Olive", "Pebble", "Quill", "Rowan", "Sage", "Tansy", "Umber",
    "Vale", "Willow", "Yarrow", "Zephyr",
];

const SURNAMES: &[&str] = &[
    "Acorn", "Brook", "Copse", "Dell", "Elmfield", "Fallow", "Gorse", "Heath", "Inkwell",
    "Juniper", "Kettle", "Lantern", "Meadow", "Nettle", "Orchard", "Pinecone", "Quarry", "Rookery",
    "Sorrel", "Thimble", "Upland", "Vetch", "Wicker", "Yewtree",
];

/// Mixed into the run's seed so names never share a stream with histories.
const NAME_STREAM: u64 = 0x4E41_4D45_5354_524D;

/// The synthetic full name of the child at `index` of a run from `seed`:
/// the same seed and index always give the same name.
pub fn synthetic_name(seed: u64, index: usize) -> String {
    let mut rng = Rng::seed_from_u64(child_seed(seed ^ NAME_STREAM, index));
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
    format!("{first} {surname}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_seeded_and_from_the_lists() {
        assert_eq!(synthetic_name(7, 3), synthetic_name(7, 3));
        let names: std::collections::HashSet<String> =
            (0..200).map(|i| synthetic_name(7, i)).collect();
        assert!(names.len() > 100, "varied: {}", names.len());
        for name in &names {
            let (first, surname) = name.split_once(' ').expect("two words");
            assert!(FIRST_NAMES.contains(&first) && SURNAMES.contains(&surname));
        }
        let other_run: Vec<String> = (0..20).map(|i| synthetic_name(8, i)).collect();
        let this_run: Vec<String> = (0..20).map(|i| synthetic_name(7, i)).collect();
        assert_ne!(other_run, this_run);
    }
}
